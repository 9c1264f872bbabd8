import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { z } from "zod";
import type { OperationRoute } from "../../../api/operation-route.ts";
import {
  editScheduledUpdateRoute,
  listIncidentUpdatesRoute,
  listScheduledOpeningsRoute,
  listScheduledUpdatesRoute,
  postUpdateRoute,
  rescheduleOpeningRoute,
} from "../../../api/routes/scheduled.ts";
import type { AnyOperation } from "../../../core/actions/define.ts";
import type { AdminIncident } from "../../../core/incidents/admin-incident.ts";
import type { V2Component } from "../../../core/public/statuspage.ts";
import { createTestApi, type TestApi } from "../../helpers/api.ts";
import { minutesAfterT0 } from "../../helpers/scheduler.ts";

let api: TestApi;

beforeEach(async () => {
  api = await createTestApi();
});
afterEach(() => api.cleanup());

/** Sends a request and checks its answer against the route's documented response schema. */
async function answerOf<R extends z.ZodType>(
  route: OperationRoute<AnyOperation, R>,
  path: string,
  json?: unknown,
): Promise<z.output<R>> {
  const response = await api.request(route.method.toUpperCase(), path, json === undefined ? {} : { json });
  expect(response.status, JSON.stringify(response.body)).toBeLessThan(300);
  // The route's `response` is the schema its `R` names (operationRoute stores it as given).
  const schema = route.response as R | undefined;
  if (!schema) throw new Error(`${route.path} documents no response`);
  return schema.parse(response.body);
}

describe("the timed routes answer what their OpenAPI responses say", () => {
  it("post (now and at a time), list, edit and move: each answer parses with its schema", async () => {
    const database = (await api.request<V2Component>("POST", "/api/components", { json: { name: "Database" } })).body;
    const incident = (
      await api.request<AdminIncident>("POST", "/api/incidents", {
        json: { name: "Slow checkout", components: { [database.id]: "degraded_performance" } },
      })
    ).body;
    const updates = `/api/incidents/${incident.id}/updates`;
    await answerOf(postUpdateRoute, updates, { status: "identified", body: "Found it." });
    const timed = await answerOf(postUpdateRoute, updates, { status: "resolved", publish_at: minutesAfterT0(30) });
    expect(timed).toMatchObject({ incident_id: incident.id, publish_at: minutesAfterT0(30) });
    expect(await answerOf(listIncidentUpdatesRoute, updates)).toHaveLength(2);
    expect(await answerOf(listIncidentUpdatesRoute, `${updates}?state=scheduled`)).toHaveLength(1);
    expect(await answerOf(listScheduledUpdatesRoute, "/api/scheduled-updates")).toHaveLength(1);
    await answerOf(editScheduledUpdateRoute, `/api/scheduled-updates/${timed.id}`, { body: "Fixed for good." });

    await api.request("POST", "/api/incidents", { json: { name: "Later", publish_at: minutesAfterT0(60) } });
    const [opening] = await answerOf(listScheduledOpeningsRoute, "/api/scheduled-incidents");
    await answerOf(rescheduleOpeningRoute, `/api/scheduled-incidents/${opening?.id}`, {
      publish_at: minutesAfterT0(90),
    });
  });
});
