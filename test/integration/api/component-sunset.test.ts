import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Problem } from "../../../api/problem.ts";
import type { RetiringComponent } from "../../../core/inventory/sunset/view.ts";
import type { V2Component } from "../../../core/public/statuspage.ts";
import { createTestApi, type TestApi } from "../../helpers/api.ts";
import { succeeding, T0 } from "../../helpers/scheduler.ts";

let api: TestApi;
let legacy: V2Component;
let group: V2Component;

const call = succeeding(() => api);

beforeEach(async () => {
  api = await createTestApi();
  api.clock.set(T0);
  group = await call<V2Component>("POST", "/api/components", { name: "Platform", group: true });
  legacy = await call<V2Component>("POST", "/api/components", { name: "Legacy API", group_id: group.id });
  await call("POST", "/api/components", { name: "API v2", group_id: group.id });
  await call("PATCH", `/api/components/${legacy.id}`, { status: "major_outage" });
});
afterEach(async () => {
  await api.cleanup();
});

async function refused(path: string, json: unknown, status: number): Promise<Problem> {
  const response = await api.request<Problem>("POST", path, { json });
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.headers.get("content-type")).toContain("application/problem+json");
  return response.body;
}

async function publicIds(document: string): Promise<string[]> {
  const response = await api.request<{ components: { id: string; components?: string[] }[] }>(
    "GET",
    `/api/v2/${document}`,
    { as: null },
  );
  return response.body.components.flatMap((c) => [c.id, ...(c.components ?? []).map((id) => `${c.id}>${id}`)]);
}

describe("deprecating and sunsetting a component through the API", () => {
  it("deprecates with a future date and a message, then sunsets: gone from the v2 JSON, its group no longer coloured by it", async () => {
    const deprecated = await call<RetiringComponent>("POST", `/api/components/${legacy.id}/deprecate`, {
      sunset_at: "2027-01-15T00:00:00+01:00",
      message: "Move to API v2.",
    });
    expect(deprecated).toMatchObject({
      stage: "deprecated",
      sunset_at: "2027-01-14T23:00:00.000Z",
      deprecation_message: "Move to API v2.",
      deprecated_at: T0,
    });
    expect(await publicIds("components.json")).toContain(legacy.id);

    const sunset = await call<RetiringComponent>("POST", `/api/components/${legacy.id}/sunset`);
    expect(sunset.stage).toBe("sunset");
    for (const document of ["components.json", "summary.json"]) {
      const ids = await publicIds(document);
      expect(
        ids.some((id) => id.includes(legacy.id)),
        document,
      ).toBe(false);
    }
    const summary = await api.request<{ components: { id: string; status: string }[]; status: { indicator: string } }>(
      "GET",
      "/api/v2/summary.json",
      { as: null },
    );
    // The sunset component was in a major outage: neither its group nor the page says so any more.
    expect(summary.body.components.find((c) => c.id === group.id)?.status).toBe("operational");
    expect(summary.body.status.indicator).toBe("none");
    const status = await api.request<{ status: { indicator: string } }>("GET", "/api/v2/status.json", { as: null });
    expect(status.body.status.indicator).toBe("none");
    // The admin API still knows it (the inventory keeps it).
    expect((await call<V2Component>("GET", `/api/components/${legacy.id}`)).id).toBe(legacy.id);
    // Nobody can subscribe to it any more.
    const form = await refused("/api/subscribers", { address: "late@example.com", components: [legacy.id] }, 422);
    expect(form.detail).toContain("has left the page");
  });

  it("refuses what would be wrong, changing nothing", async () => {
    const past = await refused(
      `/api/components/${legacy.id}/deprecate`,
      { sunset_at: "2026-11-01T00:00:00Z", message: "x" },
      422,
    );
    expect(past.detail).toBe("The sunset date must be in the future.");
    await refused(`/api/components/${legacy.id}/deprecate`, { sunset_at: "2027-01-01T00:00:00Z" }, 422);
    await refused(`/api/components/${legacy.id}/deprecate`, { sunset_at: "2027-01-01T00:00:00Z", message: "  " }, 422);
    await refused(`/api/components/${legacy.id}/deprecate`, { sunset_at: "next week", message: "x" }, 422);
    const groupRefusal = await refused(
      `/api/components/${group.id}/deprecate`,
      { sunset_at: "2027-01-01T00:00:00Z", message: "x" },
      422,
    );
    expect(groupRefusal.detail).toContain("is a group");
    expect((await refused(`/api/components/${legacy.id}/sunset`, undefined, 409)).detail).toContain(
      "deprecate it first",
    );
    expect((await refused(`/api/components/${legacy.id}/undeprecate`, undefined, 409)).detail).toContain(
      "is not deprecated",
    );
    const viewer = await api.request("POST", `/api/components/${legacy.id}/deprecate`, {
      as: "viewer",
      json: { sunset_at: "2027-01-01T00:00:00Z", message: "x" },
    });
    expect(viewer.status).toBe(403);
    expect((await call<V2Component & { stage?: string }>("GET", `/api/components/${legacy.id}`)).status).toBe(
      "major_outage",
    );
  });

  it("undeprecates back to production, clearing the date and message", async () => {
    await call("POST", `/api/components/${legacy.id}/deprecate`, { sunset_at: "2027-01-01T00:00:00Z", message: "x" });
    const back = await call<RetiringComponent>("POST", `/api/components/${legacy.id}/undeprecate`);
    expect(back).toMatchObject({
      stage: "production",
      sunset_at: null,
      deprecation_message: null,
      deprecated_at: null,
    });
  });
});
