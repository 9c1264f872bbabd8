import { readFile } from "node:fs/promises";
import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AuditEntry } from "../../../core/list-audit.ts";
import type { IncidentDeliveries } from "../../../core/notifications/incident-deliveries.ts";
import type { AdminIncident } from "../../../core/public/admin.ts";
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
