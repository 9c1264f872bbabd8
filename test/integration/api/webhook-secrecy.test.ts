import { readFile } from "node:fs/promises";
import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AuditEntry } from "../../../core/audit/list-audit.ts";
import type { AdminIncident } from "../../../core/incidents/admin-incident.ts";
import type { IncidentDeliveries } from "../../../core/notifications/incident-deliveries.ts";
import type { ImportReport } from "../../../core/subscribers/admin/import-subscribers.ts";
import type { SubscriberCounts } from "../../../core/subscribers/admin/list-subscribers.ts";
import type { AdminSubscriber } from "../../../core/subscribers/admin/subscriber-view.ts";
import { auditLog, deliveries, notificationEvents } from "../../../db/schema.ts";
import { createTestApi, type TestApi } from "../../helpers/api.ts";

/** For Slack, Discord and Teams the URL is the credential: whoever reads it can post to the team's channel. */
const URL = "https://hooks.slack.com/services/T0001/B0001/s3cr3tT0k3n";
const OWNER = "chat-owner@acme.test";
const MASKED = "https://hooks.slack.com/…";

let api: TestApi;
let webhookId: string;

beforeEach(async () => {
  api = await createTestApi();
  const created = await api.request<{ id: string }>("POST", "/api/webhooks", {
    as: "admin",
    json: { url: URL, format: "slack", owner_email: OWNER },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  webhookId = created.body.id;
});
afterEach(() => api.cleanup());

/** Every answer's text, so a URL hidden anywhere in it is found. */
async function text(path: string, as: "admin" | "commander" | "viewer"): Promise<string> {
  const response = await api.request("GET", path, { as });
  expect(response.status).toBe(200);
  return JSON.stringify(response.body);
}

async function auditRowsMentioning(needle: string): Promise<string[]> {
  const rows = await api.db.select().from(auditLog);
  return rows.filter((r) => JSON.stringify(r.details).includes(needle)).map((r) => r.action);
}

describe("a webhook's URL is shown only to an admin", () => {
  it("GET /api/subscribers?channel=webhook shows a viewer and a commander the host, an admin the URL", async () => {
    for (const role of ["viewer", "commander"] as const) {
      const listed = await api.request<AdminSubscriber[]>("GET", "/api/subscribers?channel=webhook", { as: role });
      expect(listed.body.map((s) => s.address)).toEqual([MASKED]);
      expect(JSON.stringify(listed.body)).not.toContain("s3cr3t");
    }
    const admin = await api.request<AdminSubscriber[]>("GET", "/api/subscribers?channel=webhook", { as: "admin" });
    expect(admin.body.map((s) => s.address)).toEqual([URL]);
  });

  it("a viewer's search cannot spell out a webhook URL a piece at a time", async () => {
    for (const piece of ["s3cr3t", "services/t0001", "hooks.slack.com"]) {
      const found = await api.request<AdminSubscriber[]>("GET", `/api/subscribers?q=${piece}`, { as: "viewer" });
      expect(found.body).toEqual([]);
      const counted = await api.request<SubscriberCounts>("GET", `/api/subscribers/counts?q=${piece}`, {
        as: "viewer",
      });
      expect(counted.body.matching).toBe(0);
    }
    const admin = await api.request<AdminSubscriber[]>("GET", "/api/subscribers?q=s3cr3t", { as: "admin" });
    expect(admin.body.map((s) => s.id)).toEqual([webhookId]);
  });

  it("a commander who quarantines a webhook gets it back without its URL", async () => {
    const quarantined = await api.request<AdminSubscriber>("POST", `/api/subscribers/${webhookId}/quarantine`, {
      as: "commander",
    });
    expect(quarantined.status).toBe(201);
    expect(quarantined.body.address).toBe(MASKED);
  });

  it("the deliveries log shows a viewer a failing webhook by host, also where the reply quotes the URL", async () => {
    const incident = (await api.request<AdminIncident>("POST", "/api/incidents", { json: { name: "Down" } })).body;
    const [event] = await api.db.select().from(notificationEvents);
    if (!event) throw new Error("no event");
    const now = api.clock.now().toISOString();
    await api.db.insert(deliveries).values({
      id: "delivery0001",
      eventId: event.id,
      subscriberId: webhookId,
      state: "failed",
      attempts: 3,
      nextAttemptAt: now,
      serverReply: `HTTP 404 no_service for ${URL}`,
      lastError: `HTTP 404 no_service for ${URL}`,
      createdAt: now,
    });
    const path = `/api/incidents/${incident.id}/deliveries`;
    const viewer = await api.request<IncidentDeliveries>("GET", path, { as: "viewer" });
    expect(viewer.body.failing).toEqual([
      expect.objectContaining({
        subscriber_id: webhookId,
        address: MASKED,
        server_reply: `HTTP 404 no_service for ${MASKED}`,
        last_error: `HTTP 404 no_service for ${MASKED}`,
      }),
    ]);
    expect(await text(path, "commander")).not.toContain("s3cr3t");
    expect(await text(path, "admin")).toContain(URL);
  });
});

describe("below admin, no API route shows an email address or a webhook URL", () => {
  const EMAIL = "jane.doe@example.com";
  const MASKED_EMAIL = "j•••@example.com";
  const secretsIn = (body: string) => [EMAIL, "jane.doe", "s3cr3t", "services/T0001"].filter((s) => body.includes(s));

  /** An email subscriber and the webhook, each with a failed delivery whose reply quotes it, and an old audit entry naming both. */
  async function seed(): Promise<{ emailId: string; paths: string[] }> {
    const added = await api.request<AdminSubscriber>("POST", "/api/subscribers", {
      as: "admin",
      json: { address: EMAIL },
    });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    const incident = (await api.request<AdminIncident>("POST", "/api/incidents", { json: { name: "Down" } })).body;
    const [event] = await api.db.select().from(notificationEvents);
    if (!event) throw new Error("no event");
    const now = api.clock.now().toISOString();
    const failed = { eventId: event.id, state: "failed" as const, attempts: 3, nextAttemptAt: now, createdAt: now };
    await api.db.insert(deliveries).values([
      { ...failed, id: "delivery0001", subscriberId: added.body.id, serverReply: `550 5.1.1 <${EMAIL}>: no such user` },
      { ...failed, id: "delivery0002", subscriberId: webhookId, lastError: `HTTP 404 from ${URL}` },
    ]);
    // As an entry written by an older version (or a future action) might: the address and URL in its details.
    await api.db.insert(auditLog).values({
      id: "oldaudit0001",
      at: now,
      actor: "token:admin",
      action: "subscriber.note",
      targetType: "subscriber",
      targetId: added.body.id,
      details: { address: EMAIL, replies: [`POST ${URL} failed`] },
    });
    const paths = [
      "/api/subscribers",
      "/api/subscribers?channel=email",
      "/api/subscribers?channel=webhook",
      `/api/subscribers?q=${encodeURIComponent(EMAIL)}`,
      `/api/incidents/${incident.id}/deliveries`,
      "/api/audit",
    ];
    return { emailId: added.body.id, paths };
  }

  it("a viewer and a commander read every address masked; an admin reads them whole", async () => {
    const { paths } = await seed();
    for (const role of ["viewer", "commander"] as const) {
      for (const path of paths) expect(secretsIn(await text(path, role)), `${role} ${path}`).toEqual([]);
      const listed = (await api.request<AdminSubscriber[]>("GET", "/api/subscribers", { as: role })).body;
      expect(listed.map((s) => s.address).sort()).toEqual([MASKED, MASKED_EMAIL]);
    }
    const admin = (await Promise.all(paths.map((path) => text(path, "admin")))).join("\n");
    expect(admin).toContain(EMAIL);
    expect(admin).toContain("s3cr3tT0k3n");
  });

  it("the delivery log masks the address in the server's reply too", async () => {
    const { paths } = await seed();
    const deliveriesPath = paths.find((p) => p.endsWith("/deliveries")) ?? "";
    const shown = await api.request<IncidentDeliveries>("GET", deliveriesPath, { as: "commander" });
    expect(shown.body.failing.map((f) => [f.address, f.server_reply ?? f.last_error])).toEqual(
      expect.arrayContaining([
        [MASKED_EMAIL, `550 5.1.1 <${MASKED_EMAIL}>: no such user`],
        [MASKED, `HTTP 404 from ${MASKED}`],
      ]),
    );
  });

  it("the audit log masks a subscriber entry's addresses below admin", async () => {
    await seed();
    const entryFor = async (as: "admin" | "viewer") =>
      (await api.request<AuditEntry[]>("GET", "/api/audit", { as })).body.find((e) => e.id === "oldaudit0001");
    expect((await entryFor("viewer"))?.details).toEqual({ address: MASKED_EMAIL, replies: [`POST ${MASKED} failed`] });
    expect((await entryFor("admin"))?.details).toEqual({ address: EMAIL, replies: [`POST ${URL} failed`] });
  });

  it("a commander who adds or quarantines an email subscriber gets it back masked", async () => {
    const added = await api.request<AdminSubscriber>("POST", "/api/subscribers", {
      as: "commander",
      json: { address: EMAIL },
    });
    expect(added.status).toBe(201);
    expect(added.body.address).toBe(MASKED_EMAIL);
    const quarantined = await api.request<AdminSubscriber>("POST", `/api/subscribers/${added.body.id}/quarantine`, {
      as: "commander",
    });
    expect(quarantined.body.address).toBe(MASKED_EMAIL);
  });

  it("below admin, q finds only a whole address, so no address can be spelled out a piece at a time", async () => {
    const { emailId } = await seed();
    for (const role of ["viewer", "commander"] as const) {
      for (const piece of ["jane", "@example.com", "j", "example"]) {
        const found = await api.request<AdminSubscriber[]>("GET", `/api/subscribers?q=${piece}`, { as: role });
        expect(found.body, `${role} ${piece}`).toEqual([]);
        const counted = await api.request<SubscriberCounts>("GET", `/api/subscribers/counts?q=${piece}`, { as: role });
        expect(counted.body.matching, `${role} ${piece}`).toBe(0);
      }
      for (const whole of [EMAIL, EMAIL.toUpperCase()]) {
        const q = encodeURIComponent(whole);
        const found = await api.request<AdminSubscriber[]>("GET", `/api/subscribers?q=${q}`, { as: role });
        expect(found.body.map((s) => [s.id, s.address])).toEqual([[emailId, MASKED_EMAIL]]);
        const counted = await api.request<SubscriberCounts>("GET", `/api/subscribers/counts?q=${q}`, { as: role });
        expect(counted.body.matching).toBe(1);
      }
    }
    const admin = await api.request<AdminSubscriber[]>("GET", "/api/subscribers?q=jane", { as: "admin" });
    expect(admin.body.map((s) => s.address)).toEqual([EMAIL]);
  });

  it("an import's report names refused rows' addresses to the admin who imported them, and only an admin imports", async () => {
    const csv = `address\n${EMAIL}\n${EMAIL}\n`;
    const refused = await api.request("POST", "/api/subscribers/import", { as: "commander", json: { csv } });
    expect(refused.status).toBe(403);
    const report = await api.request<ImportReport>("POST", "/api/subscribers/import", { as: "admin", json: { csv } });
    expect(report.body.refused).toEqual([{ line: 3, address: EMAIL, reason: "already a subscriber" }]);
  });
});

describe("the audit log keeps no webhook URL and no owner's address", () => {
  it("creating, rotating and deleting a webhook is audited by id and host", async () => {
    await api.request("POST", `/api/webhooks/${webhookId}/rotate-secret`, { as: "admin" });
    expect((await api.request("DELETE", `/api/webhooks/${webhookId}`, { as: "admin" })).status).toBe(204);
    expect(await auditRowsMentioning("s3cr3t")).toEqual([]);
    expect(await auditRowsMentioning(OWNER)).toEqual([]);
    const entries = (await api.request<AuditEntry[]>("GET", "/api/audit", { as: "viewer" })).body;
    const webhookEntries = entries.filter((e) => e.action.startsWith("webhook."));
    // One clock time for all three: the order among them is the ids'.
    expect(webhookEntries.map((e) => [e.action, e.target_id, e.details.host]).sort()).toEqual([
      ["webhook.create", webhookId, "hooks.slack.com"],
      ["webhook.delete", webhookId, "hooks.slack.com"],
      ["webhook.rotate_secret", webhookId, "hooks.slack.com"],
    ]);
  });

  describe("entries written before this rule", () => {
    beforeEach(async () => {
      await api.db.run(
        sql`UPDATE audit_log SET details = json_set(details, '$.url', ${URL}, '$.owner_email', ${OWNER}) WHERE action = 'webhook.create'`,
      );
      expect(await auditRowsMentioning("s3cr3t")).toEqual(["webhook.create"]);
    });

    it("are shown without the URL and the owner's address", async () => {
      const shown = await text("/api/audit", "viewer");
      expect(shown).not.toContain("s3cr3t");
      expect(shown).not.toContain(OWNER);
      expect(shown).toContain("hooks.slack.com");
    });

    it("lose them when the webhook is deleted", async () => {
      await api.request("DELETE", `/api/webhooks/${webhookId}`, { as: "admin" });
      expect(await auditRowsMentioning("s3cr3t")).toEqual([]);
      expect(await auditRowsMentioning(OWNER)).toEqual([]);
    });

    it("lose them to migration 0016, keeping the host", async () => {
      // Migration 0016 scrubs such rows in every database that has them.
      await api.db.$client.executeMultiple(
        await readFile(
          new globalThis.URL("../../../db/migrations/0016_scrub_webhook_audit.sql", import.meta.url),
          "utf8",
        ),
      );
      expect(await auditRowsMentioning("s3cr3t")).toEqual([]);
      expect(await auditRowsMentioning(OWNER)).toEqual([]);
      const [created] = await api.db.select().from(auditLog).where(sql`${auditLog.action} = 'webhook.create'`);
      expect(created?.details).toEqual({ host: "hooks.slack.com", format: "slack", team: false });
    });
  });
});
