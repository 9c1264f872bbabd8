import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { V2Component } from "../../../core/public/statuspage.ts";
import { createTestApi, type TestApi } from "../../helpers/api.ts";

// Every key Statuspage's v2 documents have, per object: strict clients crash when one is missing.
const PAGE_KEYS = ["id", "name", "url", "time_zone", "updated_at"];
const COMPONENT_KEYS = [
  "id",
  "name",
  "status",
  "created_at",
  "updated_at",
  "position",
  "description",
  "showcase",
  "start_date",
  "group_id",
  "page_id",
  "group",
  "only_show_if_degraded",
];
const INCIDENT_KEYS = [
  "id",
  "name",
  "status",
  "impact",
  "created_at",
  "updated_at",
  "started_at",
  "monitoring_at",
  "resolved_at",
  "shortlink",
  "page_id",
  "incident_updates",
  "components",
  "reminder_intervals",
];
const MAINTENANCE_KEYS = [...INCIDENT_KEYS, "scheduled_for", "scheduled_until"];
const UPDATE_KEYS = [
  "id",
  "status",
  "body",
  "incident_id",
  "created_at",
  "updated_at",
  "display_at",
  "affected_components",
  "deliver_notifications",
  "custom_tweet",
  "tweet_id",
];
const DOCUMENTS: Record<string, string[]> = {
  "summary.json": ["page", "components", "incidents", "scheduled_maintenances", "status"],
  "status.json": ["page", "status"],
  "components.json": ["page", "components"],
  "incidents.json": ["page", "incidents"],
  "incidents/unresolved.json": ["page", "incidents"],
  "scheduled-maintenances.json": ["page", "scheduled_maintenances"],
  "scheduled-maintenances/upcoming.json": ["page", "scheduled_maintenances"],
  "scheduled-maintenances/active.json": ["page", "scheduled_maintenances"],
};

type Json = { [key: string]: unknown };
let api: TestApi;
let documents: Record<string, Json>;
let group: V2Component;

beforeAll(async () => {
  api = await createTestApi();
  group = (await api.request<V2Component>("POST", "/api/components", { json: { name: "Platform", group: true } })).body;
  const db = (
    await api.request<V2Component>("POST", "/api/components", { json: { name: "Database", group_id: group.id } })
  ).body;
  const web = (
    await api.request<V2Component>("POST", "/api/components", {
      json: { name: "Website", description: "Marketing site", start_date: "2024-01-01" },
    })
  ).body;
  await api.request("POST", "/api/incidents", {
    json: { name: "Database slow", components: { [db.id]: "degraded_performance" } },
  });
  api.clock.advance(1000);
  const old = await api.request<{ id: string }>("POST", "/api/incidents", {
    json: { name: "Website down", components: { [web.id]: "major_outage" } },
  });
  await api.request("POST", `/api/incidents/${old.body.id}/updates`, { json: { status: "resolved" } });
  await api.request("POST", "/api/incidents", {
    json: {
      kind: "maintenance",
      name: "Upgrade",
      scheduled_for: "2026-12-01T01:00:00Z",
      scheduled_until: "2026-12-01T02:00:00Z",
    },
  });
  const active = await api.request<{ id: string }>("POST", "/api/incidents", {
    json: {
      kind: "maintenance",
      name: "Migration",
      scheduled_for: "2026-11-26T09:00:00Z",
      scheduled_until: "2026-11-26T12:00:00Z",
    },
  });
  await api.request("POST", `/api/incidents/${active.body.id}/updates`, {
    json: { status: "in_progress", components: { [web.id]: "under_maintenance" } },
  });
  documents = {};
  for (const name of Object.keys(DOCUMENTS)) {
    documents[name] = (await api.request<Json>("GET", `/api/v2/${name}`, { as: null })).body;
  }
});
afterAll(() => api.cleanup());

function expectKeys(object: unknown, keys: string[], where: string) {
  expect(object, where).toBeTypeOf("object");
  for (const key of keys) expect(Object.hasOwn(object as Json, key), `${where} lacks "${key}"`).toBe(true);
}

function checkIncident(incident: Json, keys: string[], where: string) {
  expectKeys(incident, keys, where);
  expect(incident.id).toMatch(/^[0-9a-z]{12}$/);
  expect(Array.isArray(incident.incident_updates)).toBe(true);
  expect(Array.isArray(incident.components)).toBe(true);
  for (const update of incident.incident_updates as Json[]) {
    expectKeys(update, UPDATE_KEYS, `${where}.incident_updates[]`);
    expect(update.display_at).not.toBeNull();
    for (const affected of (update.affected_components as Json[] | null) ?? []) {
      expectKeys(affected, ["code", "name", "old_status", "new_status"], `${where}.affected_components[]`);
    }
  }
  for (const component of incident.components as Json[]) expectKeys(component, COMPONENT_KEYS, `${where}.components[]`);
}

describe("the Statuspage v2 contract", () => {
  it("every document has its top-level keys and a complete page object", () => {
    for (const [name, keys] of Object.entries(DOCUMENTS)) {
      expectKeys(documents[name], keys, name);
      expectKeys(documents[name]?.page, PAGE_KEYS, `${name}.page`);
      expect(Object.keys(documents[name] ?? {}).sort()).toEqual([...keys].sort());
    }
  });

  it("every component, incident, maintenance and update has every key", () => {
    for (const [name, document] of Object.entries(documents)) {
      for (const component of (document.components as Json[] | undefined) ?? [])
        expectKeys(component, COMPONENT_KEYS, `${name}.components[]`);
      for (const incident of (document.incidents as Json[] | undefined) ?? [])
        checkIncident(incident, INCIDENT_KEYS, `${name}.incidents[]`);
      for (const maintenance of (document.scheduled_maintenances as Json[] | undefined) ?? []) {
        checkIncident(maintenance, MAINTENANCE_KEYS, `${name}.scheduled_maintenances[]`);
      }
    }
  });

  it("lists what each endpoint promises", () => {
    const names = (list: unknown) => (list as Json[]).map((i) => i.name);
    expect(names(documents["summary.json"]?.incidents)).toEqual(["Database slow"]);
    expect(names(documents["summary.json"]?.scheduled_maintenances).sort()).toEqual(["Migration", "Upgrade"]);
    expect(names(documents["incidents.json"]?.incidents)).toEqual(["Website down", "Database slow"]);
    expect(names(documents["incidents/unresolved.json"]?.incidents)).toEqual(["Database slow"]);
    expect(names(documents["scheduled-maintenances/upcoming.json"]?.scheduled_maintenances)).toEqual(["Upgrade"]);
    expect(names(documents["scheduled-maintenances/active.json"]?.scheduled_maintenances)).toEqual(["Migration"]);
    expect(documents["status.json"]?.status).toEqual({ indicator: "minor", description: "Partially Degraded Service" });
  });

  it("a group lists its components' ids and takes their worst status", () => {
    const components = documents["components.json"]?.components as Json[];
    const groupEntry = components.find((c) => c.id === group.id);
    expect(groupEntry?.group).toBe(true);
    expect(groupEntry?.status).toBe("degraded_performance");
    const child = components.find((c) => c.group_id === group.id);
    expect(groupEntry?.components).toEqual([child?.id]);
    expect(components.indexOf(child as Json)).toBe(components.indexOf(groupEntry as Json) + 1);
  });

  it("answers GET and HEAD with JSON, CORS and caching headers", async () => {
    for (const method of ["GET", "HEAD"]) {
      const response = await api.app.request("/api/v2/summary.json", {
        method,
        headers: { Origin: "https://widget.example" },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
      expect(response.headers.get("access-control-allow-origin")).toBe("*");
      expect(response.headers.get("cache-control")).toMatch(/max-age=\d+/);
      if (method === "HEAD") expect(await response.text()).toBe("");
    }
  });

  it("publishes an OpenAPI document describing the admin API", async () => {
    const response = await api.request<{ openapi: string; paths: Record<string, Record<string, unknown>> }>(
      "GET",
      "/api/openapi.json",
      { as: null },
    );
    expect(response.status).toBe(200);
    expect(response.body.openapi).toMatch(/^3\./);
    expect(Object.keys(response.body.paths)).toEqual(
      expect.arrayContaining([
        "/api/incidents",
        "/api/incidents/{id}",
        "/api/incidents/{id}/updates",
        "/api/incidents/{id}/updates/{updateId}",
        "/api/components",
        "/api/components/{id}",
        "/api/audit",
        "/api/v2/summary.json",
      ]),
    );
    expect(Object.keys(response.body.paths["/api/incidents"] ?? {})).toEqual(["get", "post"]);
  });
});
