import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AdminIncident } from "../../../core/incidents/admin-incident.ts";
import type { V2Component } from "../../../core/public/statuspage.ts";
import { seedStockTemplates } from "../../../core/templates/seed-stock-templates.ts";
import { createTestApi, type TestApi } from "../../helpers/api.ts";
import { contextFor } from "../../helpers/database.ts";
import { diffSnapshots, snapshotDb } from "../../helpers/db-snapshot.ts";

let api: TestApi;
let apiComponent: V2Component;
let dbComponent: V2Component;

beforeEach(async () => {
  api = await createTestApi();
  apiComponent = (await api.request<V2Component>("POST", "/api/components", { json: { name: "API" } })).body;
  dbComponent = (await api.request<V2Component>("POST", "/api/components", { json: { name: "Database" } })).body;
  await seedStockTemplates(contextFor(api.db, api.clock));
});
afterEach(() => api.cleanup());

async function componentStatus(id: string): Promise<string | undefined> {
  const summary = await api.request<{ components: V2Component[] }>("GET", "/api/v2/summary.json", { as: null });
  return summary.body.components.find((c) => c.id === id)?.status;
}

/** A request that must be refused with a 422 naming `components`, writing nothing. */
async function expectComponentsRefusal(path: string, json: unknown): Promise<string> {
  const before = await snapshotDb(api.db, ["api_tokens.last_used_at"]);
  const refused = await api.request("POST", path, { json });
  expect(refused.status, JSON.stringify(refused.body)).toBe(422);
  expect(refused.headers.get("content-type")).toContain("application/problem+json");
  expect(refused.body.errors?.map((e) => e.path)).toContain("components");
  expect(diffSnapshots(before, await snapshotDb(api.db, ["api_tokens.last_used_at"]))).toEqual([]);
  return refused.body.detail;
}

describe("posts from a template cannot say what the page does not show", () => {
  for (const [template, status] of [
    ["major-outage", "major outage"],
    ["partial-outage", "partial outage"],
    ["degraded-performance", "degraded performance"],
  ] as const) {
    it(`the ${template} template with no component is a 422 naming components, not "${template}: our service"`, async () => {
      const detail = await expectComponentsRefusal("/api/incidents", { template });
      expect(detail).toContain(status);
      expect(detail).not.toContain("our service");
    });
  }

  it("a scenario template sets the components it names to its status, and the impact follows", async () => {
    const major = await api.request<AdminIncident>("POST", "/api/incidents", {
      json: { template: "major-outage", components: [apiComponent.id] },
    });
    expect(major.status).toBe(201);
    expect(major.body).toMatchObject({ name: "Major outage: API", impact: "critical" });
    expect(await componentStatus(apiComponent.id)).toBe("major_outage");

    const degraded = await api.request<AdminIncident>("POST", "/api/incidents", {
      json: { template: "degraded-performance", components: [dbComponent.id] },
    });
    expect(degraded.body).toMatchObject({ name: "Degraded performance: Database", impact: "minor" });

    const overridden = await api.request<AdminIncident>("POST", "/api/incidents", {
      json: { template: "partial-outage", components: [dbComponent.id], impact: "critical" },
    });
    expect(overridden.body).toMatchObject({ impact: "critical", impact_override: "critical" });
  });

  it("a scenario template posted as an update sets the incident's components to its status", async () => {
    const opened = await api.request<AdminIncident>("POST", "/api/incidents", {
      json: { name: "API slow", components: { [apiComponent.id]: "degraded_performance" } },
    });
    const worse = await api.request<AdminIncident>("POST", `/api/incidents/${opened.body.id}/updates`, {
      json: { template: "major-outage" },
    });
    expect(worse.status).toBe(201);
    expect(worse.body.impact).toBe("critical");
    expect(worse.body.incident_updates[0]?.body).toContain("Affected: API.");
    expect(await componentStatus(apiComponent.id)).toBe("major_outage");
  });

  it("{{components}} with no component to name is a 422 naming components (stage templates too)", async () => {
    await expectComponentsRefusal("/api/incidents", { template: "investigating", variables: { summary: "Errors" } });
    const quiet = await api.request<AdminIncident>("POST", "/api/incidents", { json: { name: "Something odd" } });
    await expectComponentsRefusal(`/api/incidents/${quiet.body.id}/updates`, {
      template: "identified",
      variables: { cause: "a bad deploy" },
    });
    await expectComponentsRefusal("/api/templates/investigating/preview", { variables: { summary: "Errors" } });
  });

  it("the Monitoring template says back to normal only as it sets the components operational", async () => {
    const opened = await api.request<AdminIncident>("POST", "/api/incidents", {
      json: { template: "partial-outage", components: [apiComponent.id] },
    });
    expect(await componentStatus(apiComponent.id)).toBe("partial_outage");
    const monitoring = await api.request<AdminIncident>("POST", `/api/incidents/${opened.body.id}/updates`, {
      json: { template: "monitoring", variables: { fix: "we rolled back the deploy" } },
    });
    expect(monitoring.status).toBe(201);
    expect(monitoring.body.status).toBe("monitoring");
    expect(monitoring.body.incident_updates[0]?.body).toContain("back to normal for API");
    expect(await componentStatus(apiComponent.id)).toBe("operational");
    // How bad it was stays: the impact is the worst the incident set.
    expect(monitoring.body.impact).toBe("major");
  });

  it("a custom template whose stage says the trouble is over cannot set a component to an outage", async () => {
    for (const [status, fields] of [
      ["monitoring", { component_status: "partial_outage" }],
      ["resolved", { components: { [apiComponent.id]: "major_outage" } }],
    ] as const) {
      const refused = await api.request("POST", "/api/templates", {
        json: {
          name: `Bad ${status}`,
          kind: "incident",
          status,
          title: "Fixed",
          body: "Back to normal for {{components}}.",
          ...fields,
        },
      });
      expect(refused.status, JSON.stringify(refused.body)).toBe(422);
      expect(refused.body.errors?.[0]?.path).toMatch(/^component/);
    }
  });
});
