import { eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ActionContext } from "../../../core/actions/context.ts";
import { commitChanges } from "../../../core/changes/commit.ts";
import type { AdminIncident } from "../../../core/incidents/admin-incident.ts";
import { loadIncidentState } from "../../../core/incidents/incident-state.ts";
import { planPostUpdate } from "../../../core/incidents/post-update.ts";
import { scopeTakesEvent } from "../../../core/notifications/events-from-changes.ts";
import {
  planMaintenanceReminder,
  queueDueReminders,
  reminderEventId,
} from "../../../core/notifications/maintenance-reminders.ts";
import type { V2Component } from "../../../core/public/statuspage.ts";
import { components, incidents, jobs, notificationEvents } from "../../../db/schema.ts";
import { createTestApi, type TestApi } from "../../helpers/api.ts";
import { contextFor } from "../../helpers/database.ts";

let api: TestApi;
let ctx: ActionContext;
let apiComponent: V2Component;
let group: V2Component;
let member: V2Component;

beforeEach(async () => {
  api = await createTestApi();
  ctx = contextFor(api.db, api.clock);
  apiComponent = (await api.request<V2Component>("POST", "/api/components", { json: { name: "API" } })).body;
  group = (await api.request<V2Component>("POST", "/api/components", { json: { name: "Platform", group: true } })).body;
  member = (
    await api.request<V2Component>("POST", "/api/components", { json: { name: "Database", group_id: group.id } })
  ).body;
});
afterEach(() => api.cleanup());

async function post<T = AdminIncident>(path: string, json: unknown, method = "POST"): Promise<T> {
  const response = await api.request<T>(method, path, { json });
  expect(response.status, JSON.stringify(response.body)).toBeLessThan(300);
  return response.body;
}

async function events() {
  return api.db.select().from(notificationEvents).orderBy(sql`rowid`);
}

async function notifyJobs() {
  return api.db.select().from(jobs).where(eq(jobs.kind, "notify"));
}

/** Every event has exactly one notify job naming it, and every notify job an event. */
async function expectEventsMatchJobs() {
  const [all, queued] = [await events(), await notifyJobs()];
  expect(queued.map((j) => j.payload).sort()).toEqual(all.map((e) => ({ eventId: e.id })).sort());
  expect(queued.map((j) => j.dedupeKey).sort()).toEqual(all.map((e) => `notify:${e.id}`).sort());
}

describe("what notifies subscribers", () => {
  it("opening, updating and resolving an incident each write one event and one notify job", async () => {
    const opened = await post("/api/incidents", {
      name: "API errors",
      components: { [apiComponent.id]: "major_outage" },
    });
    api.clock.advance(60_000);
    await post(`/api/incidents/${opened.id}/updates`, { status: "identified", body: "Found it." });
    api.clock.advance(60_000);
    const resolved = await post(`/api/incidents/${opened.id}/updates`, { status: "resolved" });

    const written = await events();
    expect(written.map((e) => e.kind)).toEqual(["incident.opened", "incident.updated", "incident.resolved"]);
    expect(written.map((e) => e.updateId)).toEqual(resolved.incident_updates.map((u) => u.id).reverse());
    for (const event of written) {
      expect(event.incidentId).toBe(opened.id);
      expect(event.componentIds).toEqual([apiComponent.id]);
      expect([event.queued, event.sent, event.failed]).toEqual([0, 0, 0]);
    }
    await expectEventsMatchJobs();
  });

  it("an update and its event commit together or not at all", async () => {
    const opened = await post("/api/incidents", { name: "API errors" });
    const state = await loadIncidentState(api.db, [opened.id]);
    const planned = planPostUpdate(state, opened.id, { status: "identified" }, api.clock.now(), "test");
    const [component] = await api.db.select().from(components);
    if (!component) throw new Error("no component");
    // A batch that fails at its last statement (a duplicate key), as a crash mid-commit would leave it.
    const failing = { statements: [api.db.insert(components).values(component)], jobs: [], audit: planned.audit };
    await expect(commitChanges(ctx, [planned, failing])).rejects.toThrow();
    const after = await loadIncidentState(api.db, [opened.id]);
    expect(after.incidents.get(opened.id)?.updates).toHaveLength(1);
    expect((await events()).map((e) => e.kind)).toEqual(["incident.opened"]);
    await expectEventsMatchJobs();

    await commitChanges(ctx, [planned]);
    expect((await events()).map((e) => [e.kind, e.updateId])).toEqual([
      ["incident.opened", opened.incident_updates[0]?.id],
      ["incident.updated", planned.record.updates[0]?.id],
    ]);
    await expectEventsMatchJobs();
  });

  it("an update posted with deliver_notifications false reaches the page but writes no event", async () => {
    const opened = await post("/api/incidents", { name: "Quiet", deliver_notifications: false });
    await post(`/api/incidents/${opened.id}/updates`, { status: "identified", deliver_notifications: false });
    const incident = await post<AdminIncident>(`/api/incidents/${opened.id}/updates`, {
      status: "resolved",
      deliver_notifications: false,
    });
    expect(incident.incident_updates).toHaveLength(3);
    expect(await events()).toEqual([]);
    expect(await notifyJobs()).toEqual([]);
    // The page still re-renders.
    expect((await api.db.select().from(jobs).where(eq(jobs.kind, "render"))).length).toBeGreaterThan(0);
  });

  it("a refused update writes neither the change nor an event", async () => {
    const opened = await post("/api/incidents", { name: "API errors" });
    const refused = await api.request("POST", `/api/incidents/${opened.id}/updates`, { json: { status: "scheduled" } });
    expect(refused.status).toBe(422);
    expect((await events()).map((e) => e.kind)).toEqual(["incident.opened"]);
    await expectEventsMatchJobs();
  });

  it("an edit of the name alone tells no one", async () => {
    const opened = await post("/api/incidents", { name: "API errors" });
    await post(`/api/incidents/${opened.id}`, { name: "API errors in EU" }, "PATCH");
    expect((await events()).map((e) => e.kind)).toEqual(["incident.opened"]);
  });

  it("an event names every component the incident touched, and the groups they belong to", async () => {
    const opened = await post("/api/incidents", {
      name: "Slow",
      components: { [apiComponent.id]: "degraded_performance" },
    });
    await post(`/api/incidents/${opened.id}/updates`, {
      status: "identified",
      components: { [member.id]: "partial_outage" },
    });
    const [first, second] = await events();
    expect(first?.componentIds).toEqual([apiComponent.id]);
    expect(second?.componentIds).toEqual([apiComponent.id, group.id, member.id].sort());
    // The scope rule fan-out applies: a group scope covers its members; page-wide events reach everyone.
    const ids = second?.componentIds ?? [];
    expect(scopeTakesEvent({ allComponents: false, componentIds: [group.id] }, ids)).toBe(true);
    expect(scopeTakesEvent({ allComponents: false, componentIds: ["other"] }, ids)).toBe(false);
    expect(scopeTakesEvent({ allComponents: false, componentIds: ["other"] }, [])).toBe(true);
    expect(scopeTakesEvent({ allComponents: true, componentIds: [] }, ids)).toBe(true);
  });

  it("publishing a postmortem writes one event; a later edit of it none", async () => {
    const opened = await post("/api/incidents", { name: "Outage", components: { [apiComponent.id]: "major_outage" } });
    await post(`/api/incidents/${opened.id}/updates`, { status: "resolved" });
    await post(`/api/incidents/${opened.id}/postmortem`, { body: "Draft", publish: false }, "PUT");
    await post(`/api/incidents/${opened.id}/postmortem`, { body: "## What happened" }, "PUT");
    await post(`/api/incidents/${opened.id}/postmortem`, { body: "## What happened\n\nMore." }, "PUT");
    const kinds = (await events()).map((e) => e.kind);
    expect(kinds).toEqual(["incident.opened", "incident.resolved", "postmortem.published"]);
    expect((await events()).at(-1)?.componentIds).toEqual([apiComponent.id]);
    await expectEventsMatchJobs();
  });

  it("each maintenance transition writes its kind", async () => {
    const maintenance = await post("/api/incidents", {
      kind: "maintenance",
      name: "Database upgrade",
      scheduled_for: "2026-11-27T10:00:00Z",
      scheduled_until: "2026-11-27T12:00:00Z",
      components: { [member.id]: "under_maintenance" },
    });
    const path = `/api/incidents/${maintenance.id}`;
    await post(path, { scheduled_for: "2026-11-28T10:00:00Z", scheduled_until: "2026-11-28T12:00:00Z" }, "PATCH");
    await post(path, { scheduled_until: "2026-11-28T12:00:00Z" }, "PATCH"); // the same window: no reschedule
    api.clock.set("2026-11-28T10:00:00Z");
    await post(`${path}/updates`, { status: "in_progress" });
    await post(`${path}/updates`, { status: "in_progress", body: "Halfway." });
    await post(`${path}/updates`, { status: "completed" });
    const written = await events();
    expect(written.map((e) => e.kind)).toEqual([
      "maintenance.scheduled",
      "maintenance.rescheduled",
      "maintenance.started",
      "maintenance.updated",
      "maintenance.completed",
    ]);
    expect(written[0]?.componentIds).toEqual([group.id, member.id].sort());
    await expectEventsMatchJobs();
  });

  it("a reschedule sent with deliver_notifications false tells no one", async () => {
    const maintenance = await post("/api/incidents", {
      kind: "maintenance",
      name: "Upgrade",
      scheduled_for: "2026-11-27T10:00:00Z",
      scheduled_until: "2026-11-27T12:00:00Z",
    });
    await post(
      `/api/incidents/${maintenance.id}`,
      { scheduled_for: "2026-11-27T11:00:00Z", deliver_notifications: false },
      "PATCH",
    );
    expect((await events()).map((e) => e.kind)).toEqual(["maintenance.scheduled"]);
  });
});

describe("the maintenance reminder", () => {
  async function schedule(extra: Record<string, unknown> = {}) {
    return post("/api/incidents", {
      kind: "maintenance",
      name: "Network work",
      scheduled_for: "2026-11-26T12:00:00Z",
      scheduled_until: "2026-11-26T13:00:00Z",
      components: { [apiComponent.id]: "under_maintenance" },
      ...extra,
    });
  }
  const reminders = async () => (await events()).filter((e) => e.kind === "maintenance.reminder");

  it("is due 60 minutes before the start by default, and queued once however often it is planned", async () => {
    const maintenance = await schedule();
    api.clock.set("2026-11-26T10:59:00Z");
    expect(await queueDueReminders(ctx)).toEqual([]);
    api.clock.set("2026-11-26T11:00:00Z");
    expect(await queueDueReminders(ctx)).toEqual([maintenance.id]);
    expect(await queueDueReminders(ctx)).toEqual([]);

    // Two plans from one loaded state, committed together and again: the derived id writes it once.
    const state = await loadIncidentState(api.db, [maintenance.id]);
    const record = state.incidents.get(maintenance.id);
    if (!record) throw new Error("maintenance not loaded");
    const plans = [
      planMaintenanceReminder(state, record, api.clock.now()),
      planMaintenanceReminder(state, record, api.clock.now()),
    ];
    await commitChanges(
      ctx,
      plans.flatMap((p) => (p ? [p] : [])),
    );

    const written = await reminders();
    expect(written).toHaveLength(1);
    expect(written[0]?.id).toBe(reminderEventId(record));
    expect(written[0]?.componentIds).toEqual([apiComponent.id]);
    await expectEventsMatchJobs();
  });

  it("follows the maintenance's own lead time, a reschedule, and stays quiet once it started or with 0", async () => {
    const maintenance = await schedule({ remind_minutes: 15 });
    expect(maintenance.remind_minutes).toBe(15);
    api.clock.set("2026-11-26T11:30:00Z");
    expect(await queueDueReminders(ctx)).toEqual([]);
    api.clock.set("2026-11-26T11:45:00Z");
    expect(await queueDueReminders(ctx)).toEqual([maintenance.id]);
    // Moved to later: reminded again of the new start.
    await post(
      `/api/incidents/${maintenance.id}`,
      { scheduled_for: "2026-11-26T12:30:00Z", scheduled_until: "2026-11-26T14:00:00Z" },
      "PATCH",
    );
    api.clock.set("2026-11-26T12:20:00Z");
    expect(await queueDueReminders(ctx)).toEqual([maintenance.id]);
    expect(await reminders()).toHaveLength(2);

    const silent = await schedule({ remind_minutes: 0, scheduled_for: "2026-11-26T12:40:00Z" });
    expect(await queueDueReminders(ctx)).toEqual([]);
    const started = await schedule({ scheduled_for: "2026-11-26T12:50:00Z" });
    await post(`/api/incidents/${started.id}/updates`, { status: "in_progress" });
    expect(await queueDueReminders(ctx)).toEqual([]);
    expect((await reminders()).map((e) => e.incidentId)).not.toContain(silent.id);
  });

  it("an incident cannot have a reminder", async () => {
    const refused = await api.request("POST", "/api/incidents", { json: { name: "X", remind_minutes: 10 } });
    expect(refused.status).toBe(422);
    expect(await api.db.select().from(incidents)).toEqual([]);
  });
});
