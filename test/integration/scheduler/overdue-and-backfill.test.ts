import { eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ActionContext } from "../../../core/actions/context.ts";
import type { AdminIncident } from "../../../core/incidents/admin-incident.ts";
import { postUpdate } from "../../../core/incidents/post-update.ts";
import type { V2Component } from "../../../core/public/statuspage.ts";
import { overdueEventIds } from "../../../core/scheduler/overdue-reminders.ts";
import { tick } from "../../../core/scheduler/tick.ts";
import { rebuildRollupStatements } from "../../../core/uptime/rebuild-rollups.ts";
import { deliveries, incidents, notificationEvents, subscribers, uptimeDaily } from "../../../db/schema.ts";
import { fanOut } from "../../../jobs/notify/fan-out.ts";
import { openIncidentNow } from "../../helpers/actions.ts";
import { createTestApi, type TestApi } from "../../helpers/api.ts";
import { contextFor } from "../../helpers/database.ts";
import { snapshotDb } from "../../helpers/db-snapshot.ts";
import { minutesAfterT0, succeeding, T0 } from "../../helpers/scheduler.ts";

let api: TestApi;
let ctx: ActionContext;
let database: V2Component;

const at = minutesAfterT0;

beforeEach(async () => {
  api = await createTestApi();
  ctx = { ...contextFor(api.db, api.clock), settings: { teamEmail: "oncall@acme.test", defaultCadenceMinutes: 30 } };
  database = (await api.request<V2Component>("POST", "/api/components", { json: { name: "Database" } })).body;
});
afterEach(() => api.cleanup());

const succeed = succeeding(() => api);
const call = <T = AdminIncident>(method: string, path: string, json?: unknown) => succeed<T>(method, path, json);

describe("the promise of a next update", () => {
  it("defaults to the page's cadence, and null promises nothing", async () => {
    const opened = await openIncidentNow(ctx, { name: "Errors" });
    expect(opened.next_update_at).toBe(at(30));
    expect(opened.incident_updates[0]?.next_update_in_minutes).toBe(30);
    const quiet = await postUpdate(ctx, opened.id, { body: "Still looking.", next_update_in_minutes: null });
    expect(quiet.next_update_at).toBeNull();
    const soon = await postUpdate(ctx, opened.id, { body: "Found it.", next_update_in_minutes: 10 });
    expect(soon.next_update_at).toBe(at(10));
  });

  it("follows the page settings, which win over the configured defaults", async () => {
    const patched = await api.request("PATCH", "/api/page", {
      as: "admin",
      json: { default_next_update_minutes: 45, team_email: "sre@acme.test" },
    });
    expect(patched.status).toBe(200);
    const opened = await openIncidentNow(ctx, { name: "Errors" });
    expect(opened.incident_updates[0]?.next_update_in_minutes).toBe(45);
    api.clock.set(at(45));
    expect((await tick(ctx)).overdue).toEqual([opened.id]);
    const team = await api.db.select().from(subscribers).where(eq(subscribers.address, "sre@acme.test"));
    expect(team).toHaveLength(1);
  });

  it("when it lapses the admin API says overdue, the team address and the team's webhooks are reminded once, subscribers and the page never", async () => {
    await api.db.insert(subscribers).values([
      {
        id: "sub-mail",
        channel: "email",
        address: "reader@example.com",
        format: "email",
        state: "active",
        source: "api",
        createdAt: T0,
        updatedAt: T0,
      },
      {
        id: "sub-hook",
        channel: "webhook",
        address: "https://hooks.example.com/x",
        format: "json",
        state: "active",
        source: "api",
        webhookSecret: "whsec_x",
        createdAt: T0,
        updatedAt: T0,
      },
      {
        id: "sub-team-hook",
        channel: "webhook",
        address: "https://hooks.example.com/team",
        format: "slack",
        state: "active",
        team: true,
        source: "api",
        webhookSecret: "whsec_y",
        createdAt: T0,
        updatedAt: T0,
      },
    ]);
    const opened = await openIncidentNow(ctx, { name: "Errors", next_update_in_minutes: 15 });
    expect((await call("GET", `/api/incidents/${opened.id}`)).next_update_overdue).toBe(false);
    expect((await tick(ctx)).overdue).toEqual([]);

    api.clock.set(at(15));
    const admin = await call("GET", `/api/incidents/${opened.id}`);
    expect(admin.next_update_overdue).toBe(true);
    const publicDoc = await api.request("GET", "/api/v2/incidents.json", { as: null });
    expect(JSON.stringify(publicDoc.body)).not.toMatch(/overdue/i);

    expect((await tick(ctx)).overdue).toEqual([opened.id]);
    const before = await snapshotDb(api.db);
    expect((await tick(ctx)).overdue).toEqual([]);
    expect(await snapshotDb(api.db)).toEqual(before);

    const ids = overdueEventIds({ id: opened.id, nextUpdateDueAt: at(15) });
    const events = await api.db
      .select()
      .from(notificationEvents)
      .where(eq(notificationEvents.kind, "incident.update_overdue"))
      .orderBy(sql`rowid`);
    expect(events.map((e) => e.id).sort()).toEqual([ids.webhooks, ids.team].sort());
    const [team] = await api.db.select().from(subscribers).where(eq(subscribers.address, "oncall@acme.test"));
    expect(team).toMatchObject({ channel: "email", state: "unsubscribed", team: true });
    expect(events.find((e) => e.id === ids.team)?.subscriberId).toBe(team?.id);

    // Fan-out: one event reaches the team address, the other the team's webhook; no subscriber gets either.
    await fanOut(api.db, api.clock, ids.team);
    await fanOut(api.db, api.clock, ids.webhooks);
    const sent = await api.db
      .select({ event: deliveries.eventId, to: deliveries.subscriberId })
      .from(deliveries)
      .where(sql`${deliveries.eventId} IN (${ids.team}, ${ids.webhooks})`);
    expect(sent.sort((a, b) => a.event.localeCompare(b.event))).toEqual(
      [
        { event: ids.team, to: team?.id },
        { event: ids.webhooks, to: "sub-team-hook" },
      ].sort((a, b) => a.event.localeCompare(b.event)),
    );

    // The next update keeps its promise; a new lapse is reminded again, once.
    await postUpdate(ctx, opened.id, { body: "Still on it.", next_update_in_minutes: 5 });
    expect((await call("GET", `/api/incidents/${opened.id}`)).next_update_overdue).toBe(false);
    api.clock.set(at(20));
    expect((await tick(ctx)).overdue).toEqual([opened.id]);
    expect((await tick(ctx)).overdue).toEqual([]);
  });
});

describe("backfilled incidents", () => {
  const day = (d: number, h = 0) => new Date(Date.UTC(2026, 10, d, h)).toISOString();

  it("records a past incident with its own times and updates, tells no one, and keeps uptime right", async () => {
    // A later real change on the component: the backfill lies before it.
    api.clock.set(day(25, 12));
    const later = await call("POST", "/api/incidents", {
      name: "Later blip",
      components: { [database.id]: "degraded_performance" },
    });
    await call("POST", `/api/incidents/${later.id}/updates`, { status: "resolved" });
    api.clock.set(T0);

    const eventsBefore = await api.db.select().from(notificationEvents);
    const recorded = await call("POST", "/api/incidents/backfill", {
      name: "Database outage of the 20th",
      started_at: day(20, 10),
      resolved_at: day(20, 16),
      components: { [database.id]: "major_outage" },
      updates: [
        { status: "investigating", body: "Database unreachable.", display_at: day(20, 10) },
        { status: "identified", body: "A full disk.", display_at: day(20, 11) },
        { status: "resolved", body: "Space freed; no data was lost.", display_at: day(20, 16) },
      ],
    });
    expect(recorded).toMatchObject({
      status: "resolved",
      impact: "critical",
      started_at: day(20, 10),
      resolved_at: day(20, 16),
    });
    expect(recorded.incident_updates.map((u) => u.status)).toEqual(["resolved", "identified", "investigating"]);
    expect(await api.db.select().from(notificationEvents)).toEqual(eventsBefore);
    const [row] = await api.db.select().from(incidents).where(eq(incidents.id, recorded.id));
    expect(row?.resolvedAt).toBe(day(20, 16));

    const [rollup] = await api.db
      .select()
      .from(uptimeDaily)
      .where(sql`${uptimeDaily.componentId} = ${database.id} AND ${uptimeDaily.day} = '2026-11-20'`);
    expect(rollup).toMatchObject({ majorMs: 6 * 3_600_000, worst: "major_outage" });
    // The rollups equal a rebuild from the whole history.
    const stored = await api.db.select().from(uptimeDaily).orderBy(uptimeDaily.day);
    const [first, ...rest] = rebuildRollupStatements(api.db, [database.id]);
    if (first) await api.db.batch([first, ...rest]);
    expect(await api.db.select().from(uptimeDaily).orderBy(uptimeDaily.day)).toEqual(stored);
    const component = await call<V2Component>("GET", `/api/components/${database.id}`);
    expect(component.status).toBe("operational");
  });

  it("is refused with a 422 naming the field when its dates are out of order or in the future, writing nothing", async () => {
    const before = await snapshotDb(api.db);
    const cases = [
      { started_at: day(20, 16), resolved_at: day(20, 10), field: "resolved_at" },
      { started_at: day(20, 10), resolved_at: day(30, 10), field: "resolved_at" },
    ];
    for (const { field, ...dates } of cases) {
      const response = await api.request("POST", "/api/incidents/backfill", {
        json: { name: "x", ...dates, updates: [{ status: "investigating", display_at: day(20, 12) }] },
      });
      expect(response.status).toBe(422);
      expect(JSON.stringify(response.body)).toContain(field);
    }
    const outside = await api.request("POST", "/api/incidents/backfill", {
      json: {
        name: "x",
        started_at: day(20, 10),
        resolved_at: day(20, 11),
        updates: [{ status: "investigating", display_at: day(21) }],
      },
    });
    expect(JSON.stringify(outside.body)).toContain("updates.0.display_at");
    expect(await snapshotDb(api.db)).toEqual(before);
  });
});
