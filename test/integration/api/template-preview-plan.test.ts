import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Problem } from "../../../api/problem.ts";
import type { AdminIncident } from "../../../core/incidents/admin-incident.ts";
import type { V2Component } from "../../../core/public/statuspage.ts";
import { NOT_SCHEDULED } from "../../../core/templates/built-ins.ts";
import type { TemplatePreview } from "../../../core/templates/preview-template.ts";
import { seedStockTemplates } from "../../../core/templates/seed-stock-templates.ts";
import { createTestApi, type TestApi } from "../../helpers/api.ts";
import { contextFor } from "../../helpers/database.ts";
import { diffSnapshots, snapshotDb } from "../../helpers/db-snapshot.ts";

/** Bookkeeping of which token was used when, not a change. */
const IGNORED = ["api_tokens.last_used_at"];

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

type Request = Record<string, unknown>;

/** Previews the template, writing nothing, then posts the same request: opening an incident, or an update of `incidentId`. */
async function previewThenPost(template: string, request: Request, incidentId?: string) {
  const before = await snapshotDb(api.db, IGNORED);
  const preview = await api.request<TemplatePreview>("POST", `/api/templates/${template}/preview`, {
    json: { ...request, ...(incidentId ? { incident_id: incidentId } : {}) },
  });
  expect(diffSnapshots(before, await snapshotDb(api.db, IGNORED))).toEqual([]);
  const path = incidentId ? `/api/incidents/${incidentId}/updates` : "/api/incidents";
  const posted = await api.request<AdminIncident>("POST", path, { json: { ...request, template } });
  return { preview, posted };
}

/** What the preview promised, as the post shows it. */
function asPosted(incident: AdminIncident): TemplatePreview {
  const [update] = incident.incident_updates;
  return {
    title: incident.name,
    status: incident.status,
    impact: incident.impact,
    components: Object.fromEntries((update?.affected_components ?? []).map((c) => [c.code, c.new_status])),
    next_update_in_minutes: incident.next_update_at === null ? null : (update?.next_update_in_minutes ?? null),
    body_md: update?.body ?? "",
    body_html: update?.body_html ?? "",
  };
}

describe("a template's preview is the plan posting runs", () => {
  it("opening an incident: the preview shows the status, impact, components, promise and body the post then has", async () => {
    const { preview, posted } = await previewThenPost("partial-outage", {
      variables: { who: "customers in Europe" },
      components: [apiComponent.id],
    });
    expect(preview.status).toBe(200);
    expect(posted.status).toBe(201);
    expect(preview.body).toEqual(asPosted(posted.body));
    expect(preview.body).toMatchObject({ impact: "major", next_update_in_minutes: 30 });
  });

  it("promises the page's default cadence when the template names none, as the post does", async () => {
    await api.request("PATCH", "/api/page", { as: "admin", json: { default_next_update_minutes: 45 } });
    const created = await api.request("POST", "/api/templates", {
      json: {
        id: "no-promise-given",
        name: "No promise given",
        kind: "incident",
        status: "investigating",
        title: "Looking into {{components}}",
        body: "We are looking into {{components}}.",
        component_status: "degraded_performance",
      },
    });
    expect(created.status).toBe(201);
    const { preview, posted } = await previewThenPost("no-promise-given", { components: [dbComponent.id] });
    expect(preview.status).toBe(200);
    expect(preview.body.next_update_in_minutes).toBe(45);
    expect(preview.body).toEqual(asPosted(posted.body));
  });

  it("an update that resolves: the components it returns to operational are in the preview, and no promise", async () => {
    await api.request("PATCH", "/api/page", { as: "admin", json: { default_next_update_minutes: 45 } });
    const opened = await api.request<AdminIncident>("POST", "/api/incidents", {
      json: { name: "Slow API", components: { [apiComponent.id]: "degraded_performance" } },
    });
    const { preview, posted } = await previewThenPost(
      "resolved",
      { variables: { summary: "Fixed.", what_happened: "A bad deploy.", data_loss: "no" } },
      opened.body.id,
    );
    expect(preview.status).toBe(200);
    expect(posted.status).toBe(201);
    expect(preview.body).toMatchObject({
      title: "Slow API",
      status: "resolved",
      components: { [apiComponent.id]: "operational" },
      next_update_in_minutes: null,
    });
    expect(preview.body).toEqual(asPosted(posted.body));
  });

  it("an update of a closed incident: the preview refuses with the post's 409", async () => {
    const opened = await api.request<AdminIncident>("POST", "/api/incidents", {
      json: { name: "Slow API", status: "resolved", components: { [apiComponent.id]: "operational" } },
    });
    const { preview, posted } = await previewThenPost(
      "monitoring",
      { variables: { summary: "Better.", fix: "we added capacity" } },
      opened.body.id,
    );
    expect(preview.status).toBe(409);
    expect(posted.status).toBe(409);
    const { instance: _, ...refusal } = posted.body as unknown as Problem;
    expect(preview.body).toEqual({ ...refusal, instance: `/api/templates/monitoring/preview` });
  });

  it("a display_at out of bounds, or a maintenance's field on an incident: the preview refuses with the post's 422", async () => {
    const future = new Date(api.clock.now().getTime() + 3_600_000).toISOString();
    const base = { variables: { who: "everyone" }, components: [apiComponent.id] };
    for (const extra of [{ display_at: future }, { auto_start: true }, { remind_minutes: 30 }]) {
      const { preview, posted } = await previewThenPost("partial-outage", { ...base, ...extra });
      expect(preview.status, JSON.stringify(extra)).toBe(422);
      expect(posted.status, JSON.stringify(extra)).toBe(422);
      expect((preview.body as unknown as Problem).errors).toEqual((posted.body as unknown as Problem).errors);
    }
  });

  it("a maintenance with its window: the preview is what scheduling it then shows", async () => {
    const now = api.clock.now().getTime();
    const { preview, posted } = await previewThenPost("maintenance-scheduled", {
      kind: "maintenance",
      variables: { work: "Database upgrade" },
      components: [dbComponent.id],
      scheduled_for: new Date(now + 2 * 3_600_000).toISOString(),
      scheduled_until: new Date(now + 3 * 3_600_000).toISOString(),
    });
    expect(preview.status).toBe(200);
    expect(posted.status).toBe(201);
    expect(preview.body).toEqual(asPosted(posted.body));
    expect(preview.body).toMatchObject({ status: "scheduled", components: { [dbComponent.id]: "under_maintenance" } });
  });

  it("a maintenance before its window is chosen is previewed, saying the window is not scheduled yet", async () => {
    const preview = await api.request<TemplatePreview>("POST", "/api/templates/maintenance-scheduled/preview", {
      json: { kind: "maintenance", variables: { work: "Database upgrade" }, components: [dbComponent.id] },
    });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({
      status: "scheduled",
      impact: "maintenance",
      components: { [dbComponent.id]: "under_maintenance" },
    });
    expect(preview.body.body_md).toContain(NOT_SCHEDULED);
    // Half a window is previewed too; a start posting would refuse (over a day ago) is refused the same.
    const start = api.clock.now().getTime() + 3_600_000;
    const half = await api.request<TemplatePreview>("POST", "/api/templates/maintenance-scheduled/preview", {
      json: {
        kind: "maintenance",
        variables: { work: "Database upgrade" },
        components: [dbComponent.id],
        scheduled_for: new Date(start).toISOString(),
      },
    });
    expect(half.status).toBe(200);
    expect(half.body.body_md).toContain(NOT_SCHEDULED);
    const longAgo = await api.request<Problem>("POST", "/api/templates/maintenance-scheduled/preview", {
      json: {
        kind: "maintenance",
        variables: { work: "Database upgrade" },
        components: [dbComponent.id],
        scheduled_for: new Date(start - 3 * 86_400_000).toISOString(),
      },
    });
    expect(longAgo.status).toBe(422);
    expect(longAgo.body.errors?.map((e) => e.path)).toEqual(["scheduled_for"]);
    // Posting it would still refuse: the window is required to schedule it.
    const posted = await api.request<Problem>("POST", "/api/incidents", {
      json: {
        template: "maintenance-scheduled",
        variables: { work: "Database upgrade" },
        components: [dbComponent.id],
      },
    });
    expect(posted.status).toBe(422);
  });
});
