import { eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ActionContext } from "../../../core/actions/context.ts";
import { commitChange } from "../../../core/changes/commit.ts";
import type { AdminIncident } from "../../../core/incidents/admin-incident.ts";
import { loadIncidentState } from "../../../core/incidents/incident-state.ts";
import { reminderEventId } from "../../../core/notifications/maintenance-reminders.ts";
import { liveReads } from "../../../core/public/reads.ts";
import type { V2Component } from "../../../core/public/statuspage.ts";
import { maintenanceCalendarDocument } from "../../../core/public/views/documents.ts";
import { fallbackBody } from "../../../core/scheduler/maintenance-bodies.ts";
import { planStartMaintenance } from "../../../core/scheduler/maintenance-transitions.ts";
import { tick } from "../../../core/scheduler/tick.ts";
import { components, incidents, notificationEvents } from "../../../db/schema.ts";
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
  ctx = contextFor(api.db, api.clock);
  database = (await api.request<V2Component>("POST", "/api/components", { json: { name: "Database" } })).body;
});
afterEach(() => api.cleanup());

const succeed = succeeding(() => api);
const call = <T = AdminIncident>(method: string, path: string, json?: unknown) => succeed<T>(method, path, json);

async function statusOf(id: string): Promise<string | undefined> {
  const [row] = await api.db.select({ status: components.status }).from(components).where(eq(components.id, id));
  return row?.status;
}

async function eventKinds(incidentId: string): Promise<string[]> {
  const rows = await api.db
    .select({ kind: notificationEvents.kind })
    .from(notificationEvents)
    .where(eq(notificationEvents.incidentId, incidentId))
    .orderBy(sql`rowid`);
  return rows.map((r) => r.kind);
}

function scheduleMaintenance(from: number, until: number, extra: Record<string, unknown> = {}) {
  return call("POST", "/api/incidents", {
    kind: "maintenance",
    name: `Database upgrade ${from}`,
    scheduled_for: at(from),
    scheduled_until: at(until),
    components: { [database.id]: "under_maintenance" },
    ...extra,
  });
}

async function tickAt(minutes: number) {
  api.clock.set(at(minutes));
  return tick(ctx);
}

describe("maintenance that runs itself", () => {
  it("leaves its components alone until it starts, starts at exactly scheduled_for and completes at scheduled_until", async () => {
    const m = await scheduleMaintenance(120, 180);
    expect(await statusOf(database.id)).toBe("operational");
    expect(m.status).toBe("scheduled");
    expect(m.components.map((c) => c.status)).toEqual(["operational"]);

    expect((await tickAt(119)).started).toEqual([]);
    expect(await statusOf(database.id)).toBe("operational");

    expect((await tickAt(120)).started).toEqual([m.id]);
    expect(await statusOf(database.id)).toBe("under_maintenance");
    const started = await call("GET", `/api/incidents/${m.id}`);
    expect(started.status).toBe("in_progress");
    expect(started.incident_updates[0]?.body).toMatch(/has begun/);
    expect(started.incident_updates[0]?.created_by).toBe("scheduler");

    expect((await tickAt(180)).completed).toEqual([m.id]);
    expect(await statusOf(database.id)).toBe("operational");
    expect((await call("GET", `/api/incidents/${m.id}`)).status).toBe("completed");
    expect(await eventKinds(m.id)).toEqual([
      "maintenance.scheduled",
      "maintenance.reminder",
      "maintenance.started",
      "maintenance.completed",
    ]);
  });

  it("a second tick at the same time changes nothing", async () => {
    await scheduleMaintenance(30, 90);
    await call("POST", `/api/incidents`, {
      name: "Slow queries",
      components: { [database.id]: "degraded_performance" },
    });
    await tickAt(30);
    const before = await snapshotDb(api.db);
    const again = await tick(ctx);
    expect(again).toEqual({
      opened: [],
      failedOpenings: [],
      published: [],
      discarded: [],
      reminded: [],
      started: [],
      completed: [],
      overdue: [],
      escalated: [],
      sunset: [],
      sunsetReminded: [],
    });
    expect(await snapshotDb(api.db)).toEqual(before);
  });

  it("two processes ticking at once start the maintenance once", async () => {
    const m = await scheduleMaintenance(10, 60);
    api.clock.set(at(10));
    const results = await Promise.all([tick(ctx), tick(ctx)]);
    expect(results.flatMap((r) => r.started)).toEqual([m.id]);
    expect(await eventKinds(m.id)).toEqual(["maintenance.scheduled", "maintenance.started"]);
    const updates = (await call("GET", `/api/incidents/${m.id}`)).incident_updates;
    expect(updates.map((u) => u.status)).toEqual(["in_progress", "scheduled"]);
  });

  it("after a long stop the next tick catches up: reminded once, then started and completed in order", async () => {
    const m = await scheduleMaintenance(120, 180, { remind_minutes: 60 });
    expect((await tickAt(59)).reminded).toEqual([]);
    expect((await tickAt(60)).reminded).toEqual([m.id]);
    expect((await tickAt(61)).reminded).toEqual([]);
    // The process was down from minute 61 until well after the window.
    const caughtUp = await tickAt(600);
    expect(caughtUp.started).toEqual([m.id]);
    expect(caughtUp.completed).toEqual([m.id]);
    expect(await statusOf(database.id)).toBe("operational");
    const kinds = await eventKinds(m.id);
    expect(kinds).toEqual([
      "maintenance.scheduled",
      "maintenance.reminder",
      "maintenance.started",
      "maintenance.completed",
    ]);
    const reminders = await api.db
      .select()
      .from(notificationEvents)
      .where(eq(notificationEvents.id, reminderEventId({ id: m.id, scheduledFor: at(120) })));
    expect(reminders).toHaveLength(1);
  });

  it("a start committed before a crash is not repeated; the restarted tick only completes it", async () => {
    const m = await scheduleMaintenance(10, 20);
    api.clock.set(at(10));
    // The process committed the start (one batch) and died before anything else.
    const state = await loadIncidentState(api.db, [m.id]);
    const record = state.incidents.get(m.id);
    if (!record) throw new Error("no maintenance");
    await commitChange(ctx, planStartMaintenance(state, record, fallbackBody, api.clock.now()));
    const later = await tickAt(30);
    expect(later.started).toEqual([]);
    expect(later.completed).toEqual([m.id]);
    expect(await eventKinds(m.id)).toEqual(["maintenance.scheduled", "maintenance.started", "maintenance.completed"]);
  });

  it("auto_start and auto_complete false leave it to the commander", async () => {
    const m = await scheduleMaintenance(10, 20, { auto_start: false, auto_complete: false });
    expect(m.auto_start).toBe(false);
    await tickAt(15);
    expect(await statusOf(database.id)).toBe("operational");
    await call("POST", `/api/incidents/${m.id}/updates`, { status: "in_progress" });
    expect(await statusOf(database.id)).toBe("under_maintenance");
    await tickAt(30);
    expect((await call("GET", `/api/incidents/${m.id}`)).status).toBe("in_progress");
  });

  it("overlapping maintenances and an incident on one component compose", async () => {
    const first = await scheduleMaintenance(60, 180);
    const second = await scheduleMaintenance(120, 240);
    await tickAt(60);
    expect(await statusOf(database.id)).toBe("under_maintenance");
    await tickAt(120);
    expect(await statusOf(database.id)).toBe("under_maintenance");
    api.clock.set(at(150));
    const outage = await call("POST", "/api/incidents", {
      name: "Database down",
      components: { [database.id]: "major_outage" },
    });
    expect(await statusOf(database.id)).toBe("major_outage");
    // The first maintenance ends while the outage lasts: the worse status stays.
    await tickAt(180);
    expect(await statusOf(database.id)).toBe("major_outage");
    // The outage ends during the second maintenance: back to under maintenance, not operational.
    api.clock.set(at(200));
    await call("POST", `/api/incidents/${outage.id}/updates`, { status: "resolved" });
    expect(await statusOf(database.id)).toBe("under_maintenance");
    await tickAt(240);
    expect(await statusOf(database.id)).toBe("operational");
    expect((await call("GET", `/api/incidents/${first.id}`)).status).toBe("completed");
    expect((await call("GET", `/api/incidents/${second.id}`)).status).toBe("completed");
  });

  it("a scheduled maintenance does not hold its components: resolving an incident restores them", async () => {
    await scheduleMaintenance(600, 660);
    const outage = await call("POST", "/api/incidents", {
      name: "Down",
      components: { [database.id]: "major_outage" },
    });
    await call("POST", `/api/incidents/${outage.id}/updates`, { status: "resolved" });
    expect(await statusOf(database.id)).toBe("operational");
  });
});

describe("rescheduling, extending and cancelling a maintenance", () => {
  it("a reschedule raises the calendar SEQUENCE, notifies, and moves the start and reminder", async () => {
    const m = await scheduleMaintenance(120, 180);
    const moved = await call("POST", `/api/incidents/${m.id}/reschedule`, {
      scheduled_for: at(240),
      scheduled_until: at(300),
    });
    expect(moved.scheduled_for).toBe(at(240));
    const [row] = await api.db.select().from(incidents).where(eq(incidents.id, m.id));
    expect(row?.sequence).toBe(1);
    expect(moved.incident_updates[0]?.body).toMatch(/rescheduled to 2026-11-26 14:00 UTC/);
    expect(await eventKinds(m.id)).toEqual(["maintenance.scheduled", "maintenance.rescheduled"]);
    expect((await tickAt(120)).started).toEqual([]);
    expect((await tickAt(240)).started).toEqual([m.id]);
  });

  it("an extension during the window moves the end and notifies", async () => {
    const m = await scheduleMaintenance(10, 20);
    await tickAt(10);
    const extended = await call("POST", `/api/incidents/${m.id}/extend`, { scheduled_until: at(50) });
    expect(extended.scheduled_until).toBe(at(50));
    expect(extended.status).toBe("in_progress");
    expect((await tickAt(20)).completed).toEqual([]);
    expect(await statusOf(database.id)).toBe("under_maintenance");
    expect((await tickAt(50)).completed).toEqual([m.id]);
    // Told as what it is: longer, not moved elsewhere.
    expect(await eventKinds(m.id)).toEqual([
      "maintenance.scheduled",
      "maintenance.started",
      "maintenance.extended",
      "maintenance.completed",
    ]);
    const shorter = await api.request("POST", `/api/incidents/${m.id}/extend`, { json: { scheduled_until: at(40) } });
    expect(shorter.status).toBe(409);
  });

  it("an extension before the window begins is told as a new window, not as running late", async () => {
    const m = await scheduleMaintenance(120, 180);
    const extended = await call("POST", `/api/incidents/${m.id}/extend`, { scheduled_until: at(240) });
    expect(extended.status).toBe("scheduled");
    expect(extended.incident_updates[0]?.body).not.toMatch(/longer than planned/);
    expect(extended.incident_updates[0]?.body).toMatch(/rescheduled/);
    expect(await eventKinds(m.id)).toEqual(["maintenance.scheduled", "maintenance.rescheduled"]);
  });

  it("a cancelled maintenance notifies, leaves the upcoming list, is CANCELLED in the calendar and never starts", async () => {
    const m = await scheduleMaintenance(120, 180);
    const cancelled = await call("POST", `/api/incidents/${m.id}/cancel`, {});
    expect(cancelled.cancelled_at).toBe(T0);
    expect(cancelled.status).toBe("completed");
    expect(await eventKinds(m.id)).toEqual(["maintenance.scheduled", "maintenance.cancelled"]);
    const upcoming = await call<{ scheduled_maintenances: unknown[] }>(
      "GET",
      "/api/v2/scheduled-maintenances/upcoming.json",
    );
    expect(upcoming.scheduled_maintenances).toEqual([]);
    const ics = await maintenanceCalendarDocument(liveReads(api.db));
    expect(ics).toContain("STATUS:CANCELLED");
    expect(ics).toContain("SEQUENCE:1");
    await tickAt(200);
    expect(await statusOf(database.id)).toBe("operational");
    expect((await api.request("POST", `/api/incidents/${m.id}/cancel`, { json: {} })).status).toBe(409);
  });
});
