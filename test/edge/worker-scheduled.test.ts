import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AdminIncident } from "../../core/incidents/admin-incident.ts";
import type { ScheduledUpdateView } from "../../core/incidents/scheduled-updates.ts";
import type { V2Component } from "../../core/public/statuspage.ts";
import { notificationEvents, subscribers } from "../../db/schema.ts";
import type { TestApi } from "../helpers/api.ts";
import { manualClock } from "../helpers/database.ts";
import { minutesAfterT0 as at, publicV2Text, succeeding, T0 } from "../helpers/scheduler.ts";
import { createWorkerdTestApi, runCron } from "../helpers/workerd-api.ts";
import { stopWorkerdRuntime } from "../helpers/workerd-runtime.ts";

/*
 * The Worker's scheduled() handler, the cron trigger of wrangler.toml, run for real in workerd on sqld: the
 * scheduler's whole tick reaches the database through it, at the time of the cron event (test/edge/test-worker.ts
 * takes "now" from the event's scheduledTime).
 */

let api: TestApi;
let database: V2Component;

beforeEach(async () => {
  api = await createWorkerdTestApi(manualClock(T0), undefined);
  database = (await api.request<V2Component>("POST", "/api/components", { json: { name: "Database" } })).body;
});
afterEach(() => api.cleanup());
afterAll(stopWorkerdRuntime);

const call = succeeding(() => api);
const incident = (id: string) => call<AdminIncident>("GET", `/api/incidents/${id}`);

describe("the Worker's cron trigger", () => {
  it("publishes a timed update, reminds the team of a lapsed promise, then starts and completes a maintenance", async () => {
    expect(
      (await api.request("PATCH", "/api/page", { as: "admin", json: { team_email: "sre@acme.test" } })).status,
    ).toBe(200);
    const slow = await call<AdminIncident>("POST", "/api/incidents", {
      name: "Slow checkout",
      components: { [database.id]: "degraded_performance" },
    });
    const timed = await call<ScheduledUpdateView>("POST", `/api/incidents/${slow.id}/updates`, {
      status: "resolved",
      body: "The fix is out; checkout is fast again.",
      publish_at: at(30),
      components: { [database.id]: "operational" },
    });
    const errors = await call<AdminIncident>("POST", "/api/incidents", {
      name: "Errors on login",
      next_update_in_minutes: 15,
    });
    const maintenance = await call<AdminIncident>("POST", "/api/incidents", {
      kind: "maintenance",
      name: "Database upgrade",
      scheduled_for: at(60),
      scheduled_until: at(90),
      components: { [database.id]: "under_maintenance" },
    });

    // Before anything is due, a cron run changes nothing.
    await runCron(at(10));
    expect((await incident(slow.id)).status).toBe("investigating");
    expect((await incident(errors.id)).next_update_overdue).toBe(false);

    await runCron(at(30));
    const resolved = await incident(slow.id);
    expect(resolved.status).toBe("resolved");
    expect(resolved.incident_updates[0]).toMatchObject({ id: timed.id, status: "resolved", display_at: at(30) });
    expect(await publicV2Text(api)).toContain("checkout is fast again");
    expect(
      (await api.db.select().from(notificationEvents).where(eq(notificationEvents.updateId, timed.id))).map(
        (e) => e.kind,
      ),
    ).toEqual(["incident.resolved"]);

    // The promise of an update by minute 15 lapsed: the team address gets one reminder event for the runner to send.
    api.clock.set(at(30));
    expect((await incident(errors.id)).next_update_overdue).toBe(true);
    const overdue = await api.db
      .select()
      .from(notificationEvents)
      .where(eq(notificationEvents.kind, "incident.update_overdue"));
    const [team] = await api.db.select().from(subscribers).where(eq(subscribers.address, "sre@acme.test"));
    expect(team).toMatchObject({ channel: "email", team: true });
    expect(overdue.filter((e) => e.incidentId === errors.id && e.subscriberId === team?.id)).toHaveLength(1);
    await runCron(at(31));
    expect(
      await api.db.select().from(notificationEvents).where(eq(notificationEvents.kind, "incident.update_overdue")),
    ).toHaveLength(overdue.length);

    await runCron(at(60));
    const started = await incident(maintenance.id);
    expect(started.status).toBe("in_progress");
    expect(started.incident_updates[0]?.created_by).toBe("scheduler");
    api.clock.set(at(61));
    const during = await api.request<{ components: V2Component[] }>("GET", "/api/v2/components.json", { as: null });
    expect(during.body.components.find((c) => c.id === database.id)?.status).toBe("under_maintenance");

    await runCron(at(90));
    expect((await incident(maintenance.id)).status).toBe("completed");
    const kinds = await api.db
      .select({ kind: notificationEvents.kind })
      .from(notificationEvents)
      .where(eq(notificationEvents.incidentId, maintenance.id));
    expect(kinds.map((k) => k.kind)).toEqual(["maintenance.scheduled", "maintenance.started", "maintenance.completed"]);
  });
});
