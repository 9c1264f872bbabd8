import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AdminIncident } from "../../../core/incidents/admin-incident.ts";
import type { IncidentDeliveries } from "../../../core/notifications/incident-deliveries.ts";
import type { V2Component } from "../../../core/public/statuspage.ts";
import type { ImportReport } from "../../../core/subscribers/admin/import-subscribers.ts";
import type { SubscriberCounts } from "../../../core/subscribers/admin/list-subscribers.ts";
import type { AdminSubscriber } from "../../../core/subscribers/admin/subscriber-view.ts";
import { auditLog, components, deliveries, notificationEvents, rateLimits } from "../../../db/schema.ts";
import { createTestApi, type TestApi } from "../../helpers/api.ts";

let api: TestApi;
let apiComponent: V2Component;
let website: V2Component;

beforeEach(async () => {
  api = await createTestApi();
  apiComponent = (await api.request<V2Component>("POST", "/api/components", { json: { name: "API" } })).body;
  website = (await api.request<V2Component>("POST", "/api/components", { json: { name: "Website" } })).body;
});
afterEach(() => api.cleanup());

async function add(json: unknown, on: TestApi = api): Promise<AdminSubscriber> {
  const response = await on.request<AdminSubscriber>("POST", "/api/subscribers", { json });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

async function exportCsv(on: TestApi = api): Promise<string> {
  const response = await on.app.request("/api/subscribers/export", {
    headers: { Authorization: `Bearer ${on.tokens.admin}` },
  });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("text/csv");
  return response.text();
}

async function importCsv(csv: string, on: TestApi = api) {
  return on.request<ImportReport>("POST", "/api/subscribers/import", { as: "admin", json: { csv } });
}

describe("the subscribers admin API", () => {
  it("adds a confirmed subscriber with its address normalized, lists, searches and counts", async () => {
    const added = await add({ address: "  Ops@Example.COM ", components: [apiComponent.id] });
    // A commander adds it and gets it back masked: only an admin reads addresses whole.
    expect(added).toMatchObject({ address: "o•••@example.com", state: "active", source: "api", all_components: false });
    expect(added.component_ids).toEqual([apiComponent.id]);
    await add({ address: "dev@example.org", components: ["website"] }); // by name, any case
    await add({ address: "all@example.net" });

    const again = await api.request("POST", "/api/subscribers", { json: { address: "OPS@example.com" } });
    expect(again.status).toBe(409);
    const bad = await api.request("POST", "/api/subscribers", { json: { address: "not an address" } });
    expect(bad.status).toBe(422);

    const found = await api.request<AdminSubscriber[]>("GET", "/api/subscribers?q=EXAMPLE.O", { as: "admin" });
    expect(found.body.map((s) => s.address)).toEqual(["dev@example.org"]);
    expect(found.body[0]?.component_ids).toEqual([website.id]);
    const pageOne = await api.request<AdminSubscriber[]>("GET", "/api/subscribers?limit=2", { as: "viewer" });
    const pageTwo = await api.request<AdminSubscriber[]>(
      "GET",
      `/api/subscribers?limit=2&after=${pageOne.body.at(-1)?.id}`,
      { as: "viewer" },
    );
    expect([...pageOne.body, ...pageTwo.body]).toHaveLength(3);

    const quarantined = await api.request<AdminSubscriber>("POST", `/api/subscribers/${added.id}/quarantine`);
    expect(quarantined.body.state).toBe("quarantined");
    const counts = await api.request<SubscriberCounts>("GET", "/api/subscribers/counts?q=example", { as: "admin" });
    expect(counts.body).toEqual({
      total: 3,
      by_state: { unconfirmed: 0, active: 2, quarantined: 1, unsubscribed: 0, disabled: 0 },
      by_channel: { email: 3, webhook: 0 },
      matching: 3,
    });
    const back = await api.request<AdminSubscriber>("POST", `/api/subscribers/${added.id}/unquarantine`);
    expect(back.body).toMatchObject({ state: "active", hard_failures: 0 });
    expect((await api.request("POST", `/api/subscribers/${added.id}/unquarantine`)).status).toBe(422);
    // A viewer reads but does not change.
    expect((await api.request("POST", `/api/subscribers/${added.id}/quarantine`, { as: "viewer" })).status).toBe(403);
  });

  it("exports CSV that imports into an empty database as the same subscribers", async () => {
    await add({ address: "ops@example.com", components: [apiComponent.id, website.id] });
    await add({ address: "all@example.com" });
    const quiet = await add({ address: "quiet@example.com" });
    await api.request("POST", `/api/subscribers/${quiet.id}/quarantine`);
    const csv = await exportCsv();

    const other = await createTestApi();
    try {
      // The same components (ids included), no subscribers.
      await other.db.insert(components).values(await api.db.select().from(components));
      const report = await importCsv(csv, other);
      expect(report.status, JSON.stringify(report.body)).toBe(201);
      expect(report.body).toEqual({ accepted: 3, refused: [] });
      const shape = (list: AdminSubscriber[]) =>
        list
          .map((s) => ({ address: s.address, state: s.state, all: s.all_components, components: s.component_ids }))
          .sort((a, b) => a.address.localeCompare(b.address));
      const list = async (on: TestApi) =>
        (await on.request<AdminSubscriber[]>("GET", "/api/subscribers", { as: "viewer" })).body;
      expect(shape(await list(other))).toEqual(shape(await list(api)));
      expect((await list(other)).every((s) => s.source === "import")).toBe(true);
    } finally {
      await other.cleanup();
    }
  });

  it("neutralises spreadsheet formulas in the export, and reads them back as written", async () => {
    const risky = ["+cmd@example.com", "-2+3@example.com"];
    for (const address of risky) await add({ address });
    const csv = await exportCsv();
    const cells = csv
      .split("\r\n")
      .slice(1, -1)
      .map((line) => line.split(",")[0] ?? "");
    for (const cell of cells) expect(cell).toMatch(/^"'[=+\-@]/);

    await api.db.run(sql`DELETE FROM subscribers`);
    expect((await importCsv(csv)).body.accepted).toBe(2);
    const list = (await api.request<AdminSubscriber[]>("GET", "/api/subscribers", { as: "admin" })).body;
    expect(list.map((s) => s.address).sort()).toEqual([...risky].sort());
  });

  it("imports the good rows of a file, reports the bad ones, and refuses a malformed file whole", async () => {
    await add({ address: "taken@example.com" });
    const report = await importCsv(
      [
        "Address,Components,Name",
        "new@example.com,API;website,Ann",
        "not-an-address,,Bob",
        "taken@example.com,,Cy",
        "scoped@example.com,Billing,Di",
        "NEW@example.com,,dup",
      ].join("\n"),
    );
    expect(report.status).toBe(201);
    expect(report.body.accepted).toBe(1);
    expect(report.body.refused.map((r) => [r.line, r.reason])).toEqual([
      [3, "not an email address"],
      [4, "already a subscriber"],
      [5, 'component "Billing": no component has this id or name'],
      [6, "already a subscriber"],
    ]);

    const before = await api.request<AdminSubscriber[]>("GET", "/api/subscribers", { as: "viewer" });
    for (const malformed of [
      'address\nx@example.com,"unclosed',
      "name,email\nx@example.com,",
      'address\nx"y@example.com',
    ]) {
      const refused = await importCsv(malformed);
      expect(refused.status).toBe(422);
    }
    const after = await api.request<AdminSubscriber[]>("GET", "/api/subscribers", { as: "viewer" });
    expect(after.body).toEqual(before.body);
    expect((await api.request("POST", "/api/subscribers/import", { json: { csv: "address" } })).status).toBe(403);
  });

  it("imports a large file in parts of 500 rows, each audited, and a second run adds only what is missing", async () => {
    const lines = ["address,components"];
    for (let i = 0; i < 1201; i++) lines.push(`part${i}@example.com,${i % 2 ? "API" : ""}`);
    const first = await importCsv(lines.slice(0, 800).join("\n"));
    expect(first.body).toEqual({ accepted: 799, refused: [] });
    // As if the first run had stopped part-way: the whole file again imports the rest.
    const again = await importCsv(lines.join("\n"));
    expect(again.body.accepted).toBe(402);
    expect(again.body.refused).toHaveLength(799);
    expect(new Set(again.body.refused.map((r) => r.reason))).toEqual(new Set(["already a subscriber"]));
    const counts = await api.request<SubscriberCounts>("GET", "/api/subscribers/counts", { as: "viewer" });
    expect(counts.body.by_state.active).toBe(1201);
    const parts = (await api.db.select().from(auditLog)).filter((e) => e.action === "subscriber.import");
    expect(parts.map((e) => e.details)).toEqual([
      { import_id: expect.any(String), lines: [2, 501], accepted: 500, refused: 0 },
      { import_id: expect.any(String), lines: [502, 800], accepted: 299, refused: 0 },
      { import_id: expect.any(String), lines: [502, 1001], accepted: 201, refused: 299 },
      { import_id: expect.any(String), lines: [1002, 1202], accepted: 201, refused: 0 },
    ]);
    const ids = parts.map((e) => (e.details as { import_id: string }).import_id);
    expect(new Set(ids).size).toBe(2);
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).toBe(ids[3]);
  });

  it("erasing a subscriber leaves its address in no table", async () => {
    const address = "erase.me@example.com";
    const gone = await add({ address: "Erase.Me@example.com", components: [apiComponent.id] });
    const kept = await add({ address: "keep@example.com" });
    // What the sender and the subscribe form would have left behind.
    const incident = (await api.request<AdminIncident>("POST", "/api/incidents", { json: { name: "Down" } })).body;
    const [event] = await api.db.select().from(notificationEvents);
    if (!event) throw new Error("no event");
    const now = api.clock.now().toISOString();
    await api.db.insert(deliveries).values([
      {
        id: "delivery0001",
        eventId: event.id,
        subscriberId: gone.id,
        state: "failed",
        attempts: 1,
        nextAttemptAt: now,
        serverReply: `550 5.1.1 <${address}>: Recipient address rejected`,
        createdAt: now,
      },
      {
        id: "delivery0002",
        eventId: event.id,
        subscriberId: kept.id,
        state: "sent",
        nextAttemptAt: now,
        createdAt: now,
      },
    ]);
    await api.db.insert(rateLimits).values({ key: `subscribe-address:${address}`, windowStart: now, hits: 1 });
    await api.db.insert(auditLog).values({
      id: "auditsub0001",
      at: now,
      actor: "public",
      action: "subscriber.subscribe",
      targetType: "subscriber",
      targetId: gone.id,
      details: { address: "Erase.Me@example.com" },
    });

    expect((await api.request("DELETE", `/api/subscribers/${gone.id}`, { as: "commander" })).status).toBe(403);
    expect((await api.request("DELETE", `/api/subscribers/${gone.id}`, { as: "admin" })).status).toBe(204);

    const found = await everyTextMentioning(api, address);
    expect(found).toEqual([]);
    const erased = await api.db.select().from(auditLog).where(sql`${auditLog.action} = 'subscriber.erase'`);
    expect(erased.map((a) => a.targetId)).toEqual([gone.id]);
    // The event's deliveries stay for its counters; the other subscriber is untouched.
    expect((await api.db.select().from(deliveries)).map((d) => d.id).sort()).toEqual(["delivery0001", "delivery0002"]);
    const rest = (await api.request<AdminSubscriber[]>("GET", "/api/subscribers", { as: "admin" })).body;
    expect(rest.map((s) => s.address)).toEqual(["keep@example.com"]);
    const deliveriesView = await api.request<IncidentDeliveries>("GET", `/api/incidents/${incident.id}/deliveries`);
    expect(deliveriesView.body.failing).toEqual([
      expect.objectContaining({ subscriber_id: gone.id, address: null, server_reply: null }),
    ]);
  });

  it("GET /api/incidents/{id}/deliveries shows each event's counters and the failing addresses with replies", async () => {
    const failing = await add({ address: "bounce@example.com" });
    const incident = (await api.request<AdminIncident>("POST", "/api/incidents", { json: { name: "Down" } })).body;
    await api.request("POST", `/api/incidents/${incident.id}/updates`, { json: { status: "resolved" } });
    const events = await api.db.select().from(notificationEvents).orderBy(sql`rowid`);
    const [opened, resolved] = events;
    if (!opened || !resolved) throw new Error("expected two events");
    // Counters as the sender keeps them (the endpoint reads them, it never counts deliveries).
    await api.db.run(sql`UPDATE notification_events SET queued = 3, sent = 120, failed = 1 WHERE id = ${opened.id}`);
    const now = api.clock.now().toISOString();
    await api.db.insert(deliveries).values({
      id: "delivery0001",
      eventId: opened.id,
      subscriberId: failing.id,
      state: "failed",
      attempts: 1,
      nextAttemptAt: now,
      serverReply: "550 5.1.1 mailbox unavailable",
      createdAt: now,
    });

    const response = await api.request<IncidentDeliveries>("GET", `/api/incidents/${incident.id}/deliveries`, {
      as: "admin",
    });
    expect(response.status).toBe(200);
    expect(response.body.events.map((e) => [e.kind, e.queued, e.sent, e.failed])).toEqual([
      ["incident.opened", 3, 120, 1],
      ["incident.resolved", 0, 0, 0],
    ]);
    expect(response.body.failing).toEqual([
      {
        event_id: opened.id,
        subscriber_id: failing.id,
        address: "bounce@example.com",
        channel: "email",
        attempts: 1,
        server_reply: "550 5.1.1 mailbox unavailable",
        last_error: null,
      },
    ]);
    expect((await api.request("GET", "/api/incidents/zzzzzzzzzzzz/deliveries")).status).toBe(404);
  });

  it("is in the OpenAPI document", async () => {
    const doc = await api.request<{ paths: Record<string, unknown> }>("GET", "/api/openapi.json", { as: null });
    for (const path of [
      "/api/subscribers",
      "/api/subscribers/counts",
      "/api/subscribers/import",
      "/api/subscribers/export",
      "/api/subscribers/{id}",
      "/api/subscribers/{id}/quarantine",
      "/api/incidents/{id}/deliveries",
    ]) {
      expect(doc.body.paths).toHaveProperty([path]);
    }
  });
});

/** Every `table.column` whose text (any case) contains `needle`, over all tables of the database. */
async function everyTextMentioning(on: TestApi, needle: string): Promise<string[]> {
  const tables = await on.db.$client.execute(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_litestream%'",
  );
  const found: string[] = [];
  for (const { name } of tables.rows) {
    const columns = await on.db.$client.execute(`SELECT name FROM pragma_table_info('${String(name)}')`);
    for (const column of columns.rows) {
      const hits = await on.db.$client.execute({
        sql: `SELECT count(*) AS n FROM "${String(name)}" WHERE instr(lower(CAST("${String(column.name)}" AS TEXT)), ?) > 0`,
        args: [needle.toLowerCase()],
      });
      if (Number(hits.rows[0]?.n ?? 0) > 0) found.push(`${String(name)}.${String(column.name)}`);
    }
  }
  return found;
}
