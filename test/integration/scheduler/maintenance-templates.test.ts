import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ActionContext } from "../../../core/actions/context.ts";
import type { AdminIncident } from "../../../core/incidents/admin-incident.ts";
import type { V2Component } from "../../../core/public/statuspage.ts";
import { tick } from "../../../core/scheduler/tick.ts";
import { seedStockTemplates } from "../../../core/templates/seed-stock-templates.ts";
import { createTestApi, type TestApi } from "../../helpers/api.ts";
import { contextFor } from "../../helpers/database.ts";
import { minutesAfterT0, succeeding } from "../../helpers/scheduler.ts";

let api: TestApi;
let ctx: ActionContext;
let database: V2Component;

const at = minutesAfterT0;

beforeEach(async () => {
  api = await createTestApi();
  ctx = contextFor(api.db, api.clock);
  await seedStockTemplates(ctx);
  database = (await api.request<V2Component>("POST", "/api/components", { json: { name: "Database" } })).body;
});
afterEach(() => api.cleanup());

const succeed = succeeding(() => api);
const call = <T = AdminIncident>(method: string, path: string, json?: unknown) => succeed<T>(method, path, json);

function scheduleMaintenance(from: number, until: number) {
  return call("POST", "/api/incidents", {
    kind: "maintenance",
    name: `Database upgrade ${from}`,
    scheduled_for: at(from),
    scheduled_until: at(until),
    components: { [database.id]: "under_maintenance" },
  });
}

async function tickAt(minutes: number) {
  api.clock.set(at(minutes));
  return tick(ctx);
}

async function newestBody(id: string): Promise<AdminIncident["incident_updates"][number] | undefined> {
  return (await call("GET", `/api/incidents/${id}`)).incident_updates[0];
}

describe("the posts Herald writes about a maintenance come from the team's templates", () => {
  it("the auto start posts the started template, the auto complete the completed one", async () => {
    const m = await scheduleMaintenance(120, 180);
    expect((await tickAt(120)).started).toEqual([m.id]);
    const started = await newestBody(m.id);
    expect(started?.body).toContain("The planned maintenance on Database has started.");
    expect(started?.body).toContain("Short interruptions are possible until it is finished.");
    expect(started?.body).toContain("It is planned to end by 13:00");
    expect(started?.body).not.toContain("{{");
    expect(started?.created_by).toBe("scheduler");
    // A running maintenance promises its end, not a cadence: no overdue reminder while it runs as planned.
    expect(started?.next_update_in_minutes).toBeNull();

    expect((await tickAt(180)).completed).toEqual([m.id]);
    const completed = await newestBody(m.id);
    expect(completed?.body).toContain("The planned maintenance on Database is complete");
    expect(completed?.status).toBe("completed");
  });

  it("after the team edits the started template, the next auto start posts the edited text", async () => {
    const first = await scheduleMaintenance(10, 20);
    await tickAt(10);
    expect((await newestBody(first.id))?.body).toContain("has started");

    await call("PATCH", "/api/templates/maintenance-started", {
      body: "Work on {{components}} for {{page_name}} is under way until {{ends_at}}.",
    });
    const second = await scheduleMaintenance(60, 90);
    await tickAt(60);
    const body = (await newestBody(second.id))?.body;
    expect(body).toMatch(/^Work on Database for .+ is under way until 11:30/);
  });

  it("a deleted template falls back to the fixed text and the tick still starts the maintenance", async () => {
    expect((await api.request("DELETE", "/api/templates/maintenance-started")).status).toBe(204);
    const m = await scheduleMaintenance(10, 20);
    expect((await tickAt(10)).started).toEqual([m.id]);
    expect((await call("GET", `/api/incidents/${m.id}`)).status).toBe("in_progress");
    expect((await newestBody(m.id))?.body).toBe(
      "The scheduled maintenance has begun. We will post an update when it is complete.",
    );
  });

  it("a template that no longer renders without input (a new required variable) falls back too", async () => {
    await call("PATCH", "/api/templates/maintenance-completed", {
      body: "Done: {{what_changed}}",
      variables: [
        { name: "work", description: "The work", required: true },
        { name: "what_changed", description: "What changed", required: true },
      ],
    });
    const m = await scheduleMaintenance(10, 20);
    const result = await tickAt(30);
    expect(result.started).toEqual([m.id]);
    expect(result.completed).toEqual([m.id]);
    expect((await newestBody(m.id))?.body).toBe("The scheduled maintenance has been completed.");
  });

  it("an extension, a reschedule and a cancellation without text use their templates", async () => {
    const extendedOne = await scheduleMaintenance(10, 20);
    await tickAt(10);
    const extended = await call("POST", `/api/incidents/${extendedOne.id}/extend`, { scheduled_until: at(50) });
    expect(extended.incident_updates[0]?.body).toContain("The maintenance on Database is taking longer than planned.");
    expect(extended.incident_updates[0]?.body).toContain("We now expect to finish by 10:50");

    const moved = await scheduleMaintenance(120, 180);
    const rescheduled = await call("POST", `/api/incidents/${moved.id}/reschedule`, {
      scheduled_for: at(240),
      scheduled_until: at(300),
    });
    expect(rescheduled.incident_updates[0]?.body).toMatch(/now runs from 14:00 \S+ to 15:00/);

    const dropped = await scheduleMaintenance(400, 460);
    const cancelled = await call("POST", `/api/incidents/${dropped.id}/cancel`, {});
    expect(cancelled.incident_updates[0]?.body).toMatch(
      /We have cancelled the planned maintenance on Database that was scheduled to start at 16:40/,
    );

    const ownWords = await scheduleMaintenance(500, 560);
    const own = await call("POST", `/api/incidents/${ownWords.id}/cancel`, { body: "Not needed after all." });
    expect(own.incident_updates[0]?.body).toBe("Not needed after all.");
  });
});
