import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Problem } from "../../../api/problem.ts";
import type { AdminIncident } from "../../../core/public/admin.ts";
import type { V2Component } from "../../../core/public/statuspage.ts";
import { createTestApi, type TestApi } from "../../helpers/api.ts";

let api: TestApi;
let component: V2Component;

beforeEach(async () => {
  api = await createTestApi();
  component = (await api.request<V2Component>("POST", "/api/components", { json: { name: "API" } })).body;
});
afterEach(() => api.cleanup());

/** Everything a rejected request could have changed. */
async function snapshot() {
  const incidents = await api.request<AdminIncident[]>("GET", "/api/incidents");
  const summary = await api.request("GET", "/api/v2/summary.json", { as: null });
  return { incidents: incidents.body, summary: summary.body };
}

function expectProblem(response: { status: number; headers: Headers; body: Problem }, status: number) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toContain("application/problem+json");
  expect(response.body.status).toBe(status);
  expect(response.body.title).toBeTruthy();
  expect(response.body.detail).toBeTruthy();
  expect(response.body.type).toMatch(/^\/problems\//);
}

describe("bad input is refused with problem+json and changes nothing", () => {
  const cases: [string, () => Parameters<TestApi["request"]>, number, string?][] = [
    [
      "an unknown component",
      () => ["POST", "/api/incidents", { json: { name: "X", components: { zzzzzzzzzzzz: "major_outage" } } }],
      422,
      "components.zzzzzzzzzzzz",
    ],
    ["a name over 255 characters", () => ["POST", "/api/incidents", { json: { name: "n".repeat(256) } }], 422, "name"],
    [
      "a body over 25,000 characters",
      () => ["POST", "/api/incidents", { json: { name: "X", body: "b".repeat(25_001) } }],
      422,
      "body",
    ],
    ["the status `fixed`", () => ["POST", "/api/incidents", { json: { name: "X", status: "fixed" } }], 422, "status"],
    [
      "a maintenance status on an incident",
      () => ["POST", "/api/incidents", { json: { name: "X", status: "in_progress" } }],
      422,
      "status",
    ],
    [
      "a component status that does not exist",
      () => ["POST", "/api/incidents", { json: { name: "X", components: { [component.id]: "broken" } } }],
      422,
      "components.",
    ],
    [
      "an unknown field",
      () => ["POST", "/api/incidents", { json: { name: "X", stauts: "identified" } }],
      422,
      "(body)",
    ],
    ["malformed JSON", () => ["POST", "/api/incidents", { raw: '{"name": "X",' }], 400],
    ["a missing token", () => ["POST", "/api/incidents", { as: null, json: { name: "X" } }], 401],
    ["a viewer token", () => ["POST", "/api/incidents", { as: "viewer", json: { name: "X" } }], 403],
    [
      "a maintenance without a window",
      () => ["POST", "/api/incidents", { json: { name: "X", kind: "maintenance" } }],
      422,
      "scheduled_for",
    ],
    [
      "a display time in the future",
      () => ["POST", "/api/incidents", { json: { name: "X", display_at: "2030-01-01T00:00:00Z" } }],
      422,
      "display_at",
    ],
  ];

  for (const [what, request, status, field] of cases) {
    it(`refuses ${what} with ${status}`, async () => {
      const before = await snapshot();
      const response = await api.request<Problem>(...request());
      expectProblem(response, status);
      if (field) expect(response.body.errors?.some((e) => e.path.startsWith(field))).toBe(true);
      expect(await snapshot()).toEqual(before);
    });
  }

  it("refuses an update to an unknown incident with 404", async () => {
    expectProblem(
      await api.request<Problem>("POST", "/api/incidents/zzzzzzzzzzzz/updates", { json: { status: "resolved" } }),
      404,
    );
  });

  it("refuses a revoked or made-up token with 401 and says how to authenticate", async () => {
    const response = await api.app.request("/api/incidents", { headers: { Authorization: "Bearer hrld_made_up" } });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toContain("Bearer");
  });

  it("refuses a component update from a viewer and an incident deletion from a commander", async () => {
    expectProblem(
      await api.request<Problem>("PATCH", `/api/components/${component.id}`, {
        as: "viewer",
        json: { status: "major_outage" },
      }),
      403,
    );
    const incident = await api.request<AdminIncident>("POST", "/api/incidents", { json: { name: "Keep" } });
    expectProblem(await api.request<Problem>("DELETE", `/api/incidents/${incident.body.id}`, { as: "commander" }), 403);
  });

  it("refuses a group inside a group and a status set on a group", async () => {
    const group = await api.request<V2Component>("POST", "/api/components", { json: { name: "Group", group: true } });
    expectProblem(
      await api.request<Problem>("POST", "/api/components", {
        json: { name: "Nested", group: true, group_id: group.body.id },
      }),
      422,
    );
    expectProblem(
      await api.request<Problem>("PATCH", `/api/components/${group.body.id}`, { json: { status: "major_outage" } }),
      422,
    );
    expectProblem(
      await api.request<Problem>("POST", "/api/incidents", {
        json: { name: "X", components: { [group.body.id]: "major_outage" } },
      }),
      422,
    );
  });

  it("answers unknown API paths with a problem+json 404", async () => {
    expectProblem(await api.request<Problem>("GET", "/api/nothing-here"), 404);
    expectProblem(await api.request<Problem>("GET", "/api/v2/nothing.json", { as: null }), 404);
  });
});
