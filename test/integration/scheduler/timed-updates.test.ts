import { eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ActionContext } from "../../../core/actions/context.ts";
import type { AdminIncident } from "../../../core/incidents/admin-incident.ts";
import type { ScheduledUpdateView } from "../../../core/incidents/scheduled-updates.ts";
import type { V2Component } from "../../../core/public/statuspage.ts";
import { tick } from "../../../core/scheduler/tick.ts";
import { auditLog, components, jobs, notificationEvents, page } from "../../../db/schema.ts";
import { createTestApi, type TestApi } from "../../helpers/api.ts";
import { contextFor } from "../../helpers/database.ts";
import { minutesAfterT0, publicV2Text, succeeding } from "../../helpers/scheduler.ts";

let api: TestApi;
let ctx: ActionContext;
let database: V2Component;
let incident: AdminIncident;

const at = minutesAfterT0;

beforeEach(async () => {
  api = await createTestApi();
  ctx = contextFor(api.db, api.clock);
  database = (await api.request<V2Component>("POST", "/api/components", { json: { name: "Database" } })).body;
  incident = await call("POST", "/api/incidents", {
    name: "Slow checkout",
    components: { [database.id]: "degraded_performance" },
  });
});
afterEach(() => api.cleanup());

const succeed = succeeding(() => api);
const call = <T = AdminIncident>(method: string, path: string, json?: unknown) => succeed<T>(method, path, json);

const publicText = () => publicV2Text(api);

function schedule(minutes: number, extra: Record<string, unknown> = {}) {
  return call<ScheduledUpdateView>("POST", `/api/incidents/${incident.id}/updates`, {
    status: "resolved",
    body: "The fix is out; checkout is fast again.",
    publish_at: at(minutes),
    ...extra,
  });
}

describe("timed updates", () => {
  it("stays out of the API's public views until due, then is published and notified as if posted then", async () => {
    const [pageBefore] = await api.db.select().from(page);
    const scheduled = await schedule(30, { components: { [database.id]: "operational" } });
    expect(scheduled).toMatchObject({
      status: "resolved",
      publish_at: at(30),
      components: { [database.id]: "operational" },
    });

    // Nothing public moved: no update, no event, no render, the component unchanged.
    expect((await call("GET", `/api/incidents/${incident.id}`)).incident_updates).toHaveLength(1);
    expect(await publicText()).not.toContain("checkout is fast again");
    expect(await api.db.select().from(notificationEvents).where(eq(notificationEvents.updateId, scheduled.id))).toEqual(
      [],
    );
    expect((await api.db.select().from(page))[0]?.updatedAt).toBe(pageBefore?.updatedAt);
    const [db] = await api.db.select().from(components).where(eq(components.id, database.id));
    expect(db?.status).toBe("degraded_performance");

    // Listed on the incident and across incidents.
    expect(await call("GET", `/api/incidents/${incident.id}/updates?state=scheduled`)).toEqual([scheduled]);
    expect(await call("GET", "/api/scheduled-updates")).toEqual([scheduled]);

    api.clock.set(at(29));
    expect((await tick(ctx)).published).toEqual([]);
    api.clock.set(at(30));
    expect((await tick(ctx)).published).toEqual([scheduled.id]);
    expect((await tick(ctx)).published).toEqual([]);

    const after = await call("GET", `/api/incidents/${incident.id}`);
    expect(after.status).toBe("resolved");
    expect(after.incident_updates[0]).toMatchObject({ id: scheduled.id, status: "resolved", display_at: at(30) });
    expect(await publicText()).toContain("checkout is fast again");
    const [restored] = await api.db.select().from(components).where(eq(components.id, database.id));
    expect(restored?.status).toBe("operational");
    const events = await api.db.select().from(notificationEvents).where(eq(notificationEvents.updateId, scheduled.id));
    expect(events.map((e) => e.kind)).toEqual(["incident.resolved"]);
    expect(await call("GET", "/api/scheduled-updates")).toEqual([]);
    const renders = await api.db.select().from(jobs).where(eq(jobs.kind, "render"));
    expect(renders.some((j) => JSON.stringify(j.payload).includes(incident.id))).toBe(true);
  });

  it("due at one instant, they are published in the order they were written, and told in that order", async () => {
    const written: ScheduledUpdateView[] = [];
    for (const [n, status] of [
      "identified",
      "monitoring",
      "identified",
      "monitoring",
      "identified",
      "monitoring",
      "identified",
      "investigating",
    ].entries())
      written.push(await schedule(30, { status, body: `Step ${n + 1}.` }));
    api.clock.set(at(30));
    expect((await tick(ctx)).published).toEqual(written.map((u) => u.id));
    const after = await call("GET", `/api/incidents/${incident.id}`);
    expect(after.status).toBe("investigating");
    expect(after.incident_updates[0]?.body).toBe("Step 8.");
    const events = await api.db
      .select()
      .from(notificationEvents)
      .where(eq(notificationEvents.incidentId, incident.id))
      .orderBy(sql`rowid`);
    expect(
      events
        .filter((e) => e.updateId !== null)
        .map((e) => e.updateId)
        .slice(-8),
    ).toEqual(written.map((u) => u.id));
  });

  it("can be edited and cancelled before it is due, each audited; a cancelled one is never published", async () => {
    const first = await schedule(30);
    const second = await schedule(60, { status: "monitoring", body: "Watching." });
    const edited = await call<ScheduledUpdateView>("PATCH", `/api/scheduled-updates/${first.id}`, {
      status: "monitoring",
      body: "A fix is deployed; we are watching.",
      publish_at: at(45),
    });
    expect(edited).toMatchObject({
      status: "monitoring",
      body: "A fix is deployed; we are watching.",
      publish_at: at(45),
    });
    expect((await api.request("DELETE", `/api/scheduled-updates/${second.id}`)).status).toBe(204);
    const actions = (await api.db.select().from(auditLog).orderBy(sql`rowid`)).map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining(["update.schedule", "update.schedule_edit", "update.schedule_cancel"]),
    );

    api.clock.set(at(90));
    expect((await tick(ctx)).published).toEqual([first.id]);
    const timeline = (await call("GET", `/api/incidents/${incident.id}`)).incident_updates;
    expect(timeline.map((u) => u.body)).toEqual(["A fix is deployed; we are watching.", expect.any(String)]);
    expect(timeline[0]?.display_at).toBe(at(45));
    // Once published it is no longer a scheduled update.
    expect((await api.request("PATCH", `/api/scheduled-updates/${first.id}`, { json: { body: "x" } })).status).toBe(
      404,
    );
    expect((await api.request("DELETE", `/api/scheduled-updates/${second.id}`)).status).toBe(404);
  });

  it("is refused with a 422 naming the field for a past publish_at, a display_at or an unknown component", async () => {
    const past = await api.request("POST", `/api/incidents/${incident.id}/updates`, {
      json: { body: "x", publish_at: at(-5) },
    });
    expect(past.status).toBe(422);
    expect(JSON.stringify(past.body)).toContain("publish_at");
    const shown = await api.request("POST", `/api/incidents/${incident.id}/updates`, {
      json: { body: "x", publish_at: at(5), display_at: at(0) },
    });
    expect(JSON.stringify(shown.body)).toContain("display_at");
    const unknown = await api.request("POST", `/api/incidents/${incident.id}/updates`, {
      json: { body: "x", publish_at: at(5), components: { nope: "operational" } },
    });
    expect(unknown.status).toBe(422);
    expect(await call("GET", "/api/scheduled-updates")).toEqual([]);
  });

  it("goes with its incident when the incident is deleted, and the tick then has nothing to publish", async () => {
    const scheduled = await schedule(30);
    expect((await api.request("DELETE", `/api/incidents/${incident.id}`, { as: "admin" })).status).toBe(204);
    expect(await call("GET", "/api/scheduled-updates")).toEqual([]);
    expect((await api.request("DELETE", `/api/scheduled-updates/${scheduled.id}`)).status).toBe(404);
    api.clock.set(at(30));
    expect((await tick(ctx)).published).toEqual([]);
  });

  it("two processes publishing at once publish it once", async () => {
    const scheduled = await schedule(5);
    api.clock.set(at(5));
    const results = await Promise.all([tick(ctx), tick(ctx)]);
    expect(results.flatMap((r) => r.published)).toEqual([scheduled.id]);
    const events = await api.db.select().from(notificationEvents).where(eq(notificationEvents.updateId, scheduled.id));
    expect(events).toHaveLength(1);
  });
});
