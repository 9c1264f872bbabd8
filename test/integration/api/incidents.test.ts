import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AdminIncident } from "../../../core/incidents/admin-incident.ts";
import type { V2Component } from "../../../core/public/statuspage.ts";
import { createTestApi, type TestApi } from "../../helpers/api.ts";

let api: TestApi;
let apiComponent: V2Component;
let dbComponent: V2Component;

beforeEach(async () => {
  api = await createTestApi();
  apiComponent = (await api.request<V2Component>("POST", "/api/components", { json: { name: "API" } })).body;
  dbComponent = (await api.request<V2Component>("POST", "/api/components", { json: { name: "Database" } })).body;
});
afterEach(() => api.cleanup());

type Summary = {
  page: Record<string, unknown>;
  components: V2Component[];
  incidents: AdminIncident[];
  scheduled_maintenances: AdminIncident[];
  status: { indicator: string; description: string };
};

const summary = async () => (await api.request<Summary>("GET", "/api/v2/summary.json", { as: null })).body;

describe("the incident loop", () => {
  it("opening an incident marks components, lists it in summary.json and raises the indicator", async () => {
    const opened = await api.request<AdminIncident>("POST", "/api/incidents", {
      json: {
        name: "Elevated API errors",
        status: "investigating",
        body: "We are **looking** into it.",
        components: { [apiComponent.id]: "partial_outage" },
      },
    });
    expect(opened.status).toBe(201);
    expect(opened.body.impact).toBe("major");
    expect(opened.body.incident_updates[0]?.body_html).toContain("<strong>looking</strong>");
    expect(opened.body.components.map((c) => c.id)).toEqual([apiComponent.id]);
    expect(opened.body.incident_updates[0]?.affected_components).toEqual([
      { code: apiComponent.id, name: "API", old_status: "operational", new_status: "partial_outage" },
    ]);

    const during = await summary();
    expect(during.incidents.map((i) => i.id)).toEqual([opened.body.id]);
    expect(during.status).toEqual({ indicator: "major", description: "Partial System Outage" });
    expect(during.components.find((c) => c.id === apiComponent.id)?.status).toBe("partial_outage");
  });

  it("resolving brings components back to operational and the page to All Systems Operational", async () => {
    const opened = await api.request<AdminIncident>("POST", "/api/incidents", {
      json: { name: "DB down", components: { [dbComponent.id]: "major_outage" } },
    });
    expect((await summary()).status.indicator).toBe("critical");
    api.clock.advance(60_000);
    const monitoring = await api.request<AdminIncident>("POST", `/api/incidents/${opened.body.id}/updates`, {
      json: { status: "monitoring", body: "A fix is out.", components: { [dbComponent.id]: "degraded_performance" } },
    });
    expect(monitoring.status).toBe(201);
    expect(monitoring.body.monitoring_at).toBe("2026-11-26T10:01:00.000Z");
    api.clock.advance(60_000);
    const resolved = await api.request<AdminIncident>("POST", `/api/incidents/${opened.body.id}/updates`, {
      json: { status: "resolved" },
    });
    expect(resolved.status).toBe(201);
    expect(resolved.body.status).toBe("resolved");
    expect(resolved.body.resolved_at).toBe("2026-11-26T10:02:00.000Z");
    expect(resolved.body.impact).toBe("critical");
    expect(resolved.body.incident_updates[0]?.body).toBe("This incident has been resolved.");
    expect(resolved.body.incident_updates[0]?.affected_components).toEqual([
      { code: dbComponent.id, name: "Database", old_status: "degraded_performance", new_status: "operational" },
    ]);

    const after = await summary();
    expect(after.incidents).toEqual([]);
    expect(after.status).toEqual({ indicator: "none", description: "All Systems Operational" });
    expect(after.components.every((c) => c.status === "operational")).toBe(true);
  });

  it("resolving one incident leaves a component another open incident still holds down", async () => {
    const first = await api.request<AdminIncident>("POST", "/api/incidents", {
      json: { name: "First", components: { [dbComponent.id]: "partial_outage" } },
    });
    await api.request("POST", "/api/incidents", {
      json: { name: "Second", components: { [dbComponent.id]: "major_outage" } },
    });
    await api.request("POST", `/api/incidents/${first.body.id}/updates`, { json: { status: "resolved" } });
    const after = await summary();
    expect(after.components.find((c) => c.id === dbComponent.id)?.status).toBe("major_outage");
    expect(after.incidents.map((i) => i.name)).toEqual(["Second"]);
  });

  it("an open incident without components still shows a non-operational indicator", async () => {
    await api.request("POST", "/api/incidents", { json: { name: "Reports of slow logins" } });
    expect((await summary()).status).toEqual({ indicator: "minor", description: "Minor Service Outage" });
  });

  it("an impact override wins over the computed impact", async () => {
    const opened = await api.request<AdminIncident>("POST", "/api/incidents", {
      json: { name: "Small blip", components: { [apiComponent.id]: "degraded_performance" }, impact: "critical" },
    });
    expect(opened.body.impact).toBe("critical");
    const cleared = await api.request<AdminIncident>("PATCH", `/api/incidents/${opened.body.id}`, {
      json: { impact: null },
    });
    expect(cleared.body.impact).toBe("minor");
  });

  it("editing an update's text is audited with what it said before", async () => {
    const opened = await api.request<AdminIncident>("POST", "/api/incidents", {
      json: { name: "Typo", body: "We are lookign." },
    });
    const update = opened.body.incident_updates[0];
    const edited = await api.request<AdminIncident>("PATCH", `/api/incidents/${opened.body.id}/updates/${update?.id}`, {
      json: { body: "We are looking." },
    });
    expect(edited.status).toBe(200);
    expect(edited.body.incident_updates[0]?.body).toBe("We are looking.");
    const audit = await api.request<{ action: string; details: { before: { body: string } } }[]>("GET", "/api/audit", {
      as: "viewer",
    });
    const entry = audit.body.find((e) => e.action === "update.edit");
    expect(entry?.details.before.body).toBe("We are lookign.");
  });

  it("only an admin may delete an incident, and the deletion is audited", async () => {
    const opened = await api.request<AdminIncident>("POST", "/api/incidents", { json: { name: "Mistake" } });
    const denied = await api.request("DELETE", `/api/incidents/${opened.body.id}`, { as: "commander" });
    expect(denied.status).toBe(403);
    expect((await api.request("DELETE", `/api/incidents/${opened.body.id}`, { as: "admin" })).status).toBe(204);
    expect((await api.request("GET", `/api/incidents/${opened.body.id}`)).status).toBe(404);
    const audit = await api.request<{ action: string; target_id: string }[]>("GET", "/api/audit");
    expect(audit.body.some((e) => e.action === "incident.delete" && e.target_id === opened.body.id)).toBe(true);
  });

  it("markdown is sanitized once on write: no script, no javascript: links", async () => {
    const opened = await api.request<AdminIncident>("POST", "/api/incidents", {
      json: {
        name: "XSS attempt",
        body: '<script>alert(1)</script> [click](javascript:alert(1)) <img src=x onerror="alert(1)"> [ok](https://example.com)',
      },
    });
    const html = opened.body.incident_updates[0]?.body_html ?? "";
    expect(html).not.toMatch(/<script|<img/i);
    expect(html).not.toMatch(/<[a-z][^>]*\son\w+=/i);
    expect(html).not.toMatch(/href="javascript:/i);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain('<a href="https://example.com" rel="nofollow noopener noreferrer">ok</a>');
  });

  it("schedules a maintenance that summary lists under scheduled_maintenances", async () => {
    const scheduled = await api.request<AdminIncident>("POST", "/api/incidents", {
      json: {
        kind: "maintenance",
        name: "Database upgrade",
        scheduled_for: "2026-11-27T02:00:00Z",
        scheduled_until: "2026-11-27T03:00:00Z",
        components: { [dbComponent.id]: "operational" },
      },
    });
    expect(scheduled.status).toBe(201);
    expect(scheduled.body.status).toBe("scheduled");
    expect(scheduled.body.impact).toBe("maintenance");
    const s = await summary();
    expect(s.incidents).toEqual([]);
    expect(s.scheduled_maintenances.map((m) => [m.id, m.scheduled_for])).toEqual([
      [scheduled.body.id, "2026-11-27T02:00:00.000Z"],
    ]);
    expect(s.status.indicator).toBe("none");
    await api.request("POST", `/api/incidents/${scheduled.body.id}/updates`, {
      json: { status: "in_progress", components: { [dbComponent.id]: "under_maintenance" } },
    });
    expect((await summary()).status).toEqual({ indicator: "maintenance", description: "Service Under Maintenance" });
    await api.request("POST", `/api/incidents/${scheduled.body.id}/updates`, { json: { status: "completed" } });
    const done = await summary();
    expect(done.scheduled_maintenances).toEqual([]);
    expect(done.status.indicator).toBe("none");
  });
});
