import { eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ActionContext } from "../../../core/actions/context.ts";
import type { AdminIncident } from "../../../core/incidents/admin-incident.ts";
import type { ScheduledOpeningView } from "../../../core/incidents/stored-openings.ts";
import type { V2Component } from "../../../core/public/statuspage.ts";
import { tick } from "../../../core/scheduler/tick.ts";
import { auditLog, components, incidents, jobs, notificationEvents, page } from "../../../db/schema.ts";
import { createTestApi, type TestApi } from "../../helpers/api.ts";
import { contextFor } from "../../helpers/database.ts";
import { minutesAfterT0, publicV2Text, succeeding } from "../../helpers/scheduler.ts";

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

const publicText = () => publicV2Text(api);

function schedule(minutes: number, extra: Record<string, unknown> = {}) {
  return call<ScheduledOpeningView>("POST", "/api/incidents", {
    name: "Planned failover drill",
    body: "We are failing the database over; expect a minute of slow checkout.",
    components: { [database.id]: "degraded_performance" },
    publish_at: at(minutes),
    ...extra,
  });
}

describe("an incident opened at a time", () => {
  it("is on no page, feed or inbox until due, then opens as if posted then and is notified", async () => {
    const [pageBefore] = await api.db.select().from(page);
    const jobsBefore = await api.db.select().from(jobs);
    const scheduled = await schedule(30, { next_update_in_minutes: 20 });
    expect(scheduled).toMatchObject({
      name: "Planned failover drill",
      status: "investigating",
      publish_at: at(30),
      components: { [database.id]: "degraded_performance" },
      failure: null,
    });
    expect(scheduled.body_html).toContain("failing the database over");

    expect(await api.db.select().from(incidents)).toEqual([]);
    expect(await publicText()).not.toContain("failover drill");
    expect(await api.db.select().from(notificationEvents)).toEqual([]);
    expect(await api.db.select().from(jobs)).toEqual(jobsBefore);
    expect((await api.db.select().from(page))[0]?.updatedAt).toBe(pageBefore?.updatedAt);
    expect(await call("GET", "/api/scheduled-incidents")).toEqual([scheduled]);

    api.clock.set(at(29));
    expect((await tick(ctx)).opened).toEqual([]);
    api.clock.set(at(31));
    const opened = (await tick(ctx)).opened;
    expect(opened).toHaveLength(1);
    expect((await tick(ctx)).opened).toEqual([]);

    const incident = await call("GET", `/api/incidents/${opened[0]}`);
    expect(incident).toMatchObject({ name: "Planned failover drill", status: "investigating", started_at: at(30) });
    expect(incident.incident_updates[0]).toMatchObject({
      display_at: at(30),
      body: expect.stringContaining("failing"),
    });
    expect(incident.next_update_at).toBe(at(50));
    expect(await publicText()).toContain("Planned failover drill");
    const [db] = await api.db.select().from(components).where(eq(components.id, database.id));
    expect(db?.status).toBe("degraded_performance");
    const events = await api.db.select().from(notificationEvents);
    expect(events.map((e) => e.kind)).toEqual(["incident.opened"]);
    expect(await call("GET", "/api/scheduled-incidents")).toEqual([]);
    const actions = (await api.db.select().from(auditLog).orderBy(sql`rowid`)).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(["incident.schedule_open", "incident.open"]));
  });

  it("can be moved and cancelled before it opens, each audited; a cancelled one never opens", async () => {
    const first = await schedule(30);
    const second = await schedule(60, { name: "Never opened" });
    const moved = await call<ScheduledOpeningView>("PATCH", `/api/scheduled-incidents/${first.id}`, {
      publish_at: at(45),
    });
    expect(moved.publish_at).toBe(at(45));
    expect((await api.request("DELETE", `/api/scheduled-incidents/${second.id}`)).status).toBe(204);
    const actions = (await api.db.select().from(auditLog).orderBy(sql`rowid`)).map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        "incident.schedule_open",
        "incident.schedule_open_move",
        "incident.schedule_open_cancel",
      ]),
    );
    api.clock.set(at(40));
    expect((await tick(ctx)).opened).toEqual([]);
    api.clock.set(at(90));
    const opened = (await tick(ctx)).opened;
    expect(opened).toHaveLength(1);
    expect((await call("GET", `/api/incidents/${opened[0]}`)).started_at).toBe(at(45));
    expect(await publicText()).not.toContain("Never opened");
    // Once opened it is no longer scheduled.
    const late = await api.request("PATCH", `/api/scheduled-incidents/${first.id}`, { json: { publish_at: at(120) } });
    expect(late.status).toBe(404);
    expect((await api.request("DELETE", `/api/scheduled-incidents/${first.id}`)).status).toBe(404);
  });

  it("is refused with a 422 naming the field, and nothing is stored", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ publish_at: at(-5) }, "publish_at"],
      [{ publish_at: at(5), display_at: at(0) }, "display_at"],
      [{ publish_at: at(5), components: { nope: "operational" } }, "components.nope"],
      [
        {
          publish_at: at(5),
          kind: "maintenance",
          scheduled_for: at(60),
          scheduled_until: at(120),
          components: {},
        },
        "publish_at",
      ],
      [{ publish_at: "tomorrow" }, "publish_at"],
    ];
    for (const [extra, field] of cases) {
      const response = await api.request("POST", "/api/incidents", {
        json: { name: "Refused", components: {}, ...extra },
      });
      expect(response.status, JSON.stringify(extra)).toBe(422);
      expect(JSON.stringify(response.body)).toContain(field);
    }
    expect(await call("GET", "/api/scheduled-incidents")).toEqual([]);
  });

  it("leaves out a component deleted meanwhile, and a failed opening waits visibly instead of blocking the scheduler", async () => {
    const scheduled = await schedule(10);
    expect((await api.request("DELETE", `/api/components/${database.id}`, { as: "admin" })).status).toBe(204);
    // A stored request that no longer parses cannot open: it is marked failed, with the reason.
    const broken = await schedule(10, { components: {} });
    await api.db.run(sql`UPDATE scheduled_actions SET input = json_set(input, '$.name', '') WHERE id = ${broken.id}`);
    api.clock.set(at(10));
    const result = await tick(ctx);
    expect(result.opened).toHaveLength(1);
    expect(result.failedOpenings).toEqual([broken.id]);
    const incident = await call("GET", `/api/incidents/${result.opened[0]}`);
    expect(incident.name).toBe("Planned failover drill");
    expect(incident.components).toEqual([]);
    const [failed] = await call<ScheduledOpeningView[]>("GET", "/api/scheduled-incidents");
    expect(failed).toMatchObject({ id: broken.id });
    expect(failed?.failure).toMatch(/name/);
    expect((await tick(ctx)).failedOpenings).toEqual([]);
    expect(scheduled.id).not.toBe(broken.id);

    // Moved to a new time, it is tried again.
    const retried = await call<ScheduledOpeningView>("PATCH", `/api/scheduled-incidents/${broken.id}`, {
      publish_at: at(20),
    });
    expect(retried.failure).toBeNull();
  });

  it("two processes ticking at once open it once", async () => {
    await schedule(5);
    api.clock.set(at(5));
    const results = await Promise.all([tick(ctx), tick(ctx)]);
    expect(results.flatMap((r) => r.opened)).toHaveLength(1);
    expect(await api.db.select().from(incidents)).toHaveLength(1);
    expect(await api.db.select().from(notificationEvents)).toHaveLength(1);
  });

  it("is refused to a viewer, who can still list it", async () => {
    const scheduled = await schedule(5);
    const json = { name: "Viewer's", components: {}, publish_at: at(5) };
    expect((await api.request("POST", "/api/incidents", { json, as: "viewer" })).status).toBe(403);
    expect((await api.request("DELETE", `/api/scheduled-incidents/${scheduled.id}`, { as: "viewer" })).status).toBe(
      403,
    );
    expect((await api.request("GET", "/api/scheduled-incidents", { as: "viewer" })).body).toEqual([scheduled]);
  });
});
