import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Problem } from "../../api/problem.ts";
import type { ActionContext } from "../../core/actions/context.ts";
import { commitChanges } from "../../core/changes/commit.ts";
import { pageOf } from "../../core/components/component-state.ts";
import { type AdminIncident, adminIncident } from "../../core/incidents/admin-incident.ts";
import { loadIncidentState } from "../../core/incidents/incident-state.ts";
import { getIncident } from "../../core/incidents/load-incidents.ts";
import { planOpenIncident } from "../../core/incidents/plan-open-incident.ts";
import { planPostUpdate } from "../../core/incidents/post-update.ts";
import type { V2Component } from "../../core/public/statuspage.ts";
import { auditLog, components, incidents, incidentUpdates, jobs, page } from "../../db/schema.ts";
import { createTestApi, type TestApi } from "../helpers/api.ts";
import { contextFor } from "../helpers/database.ts";

let api: TestApi;
let ctx: ActionContext;
let apiComponent: V2Component;
let dbComponent: V2Component;

beforeEach(async () => {
  api = await createTestApi();
  ctx = contextFor(api.db, api.clock);
  apiComponent = (await api.request<V2Component>("POST", "/api/components", { json: { name: "API" } })).body;
  dbComponent = (await api.request<V2Component>("POST", "/api/components", { json: { name: "Database" } })).body;
});
afterEach(() => api.cleanup());

const get = async (id: string) => (await api.request<AdminIncident>("GET", `/api/incidents/${id}`)).body;

describe("plan many, commit once", () => {
  it("two incidents planned from one loaded state commit in one batch, the second seeing the first", async () => {
    const state = await loadIncidentState(api.db);
    const now = api.clock.now();
    const first = planOpenIncident(
      state,
      { name: "API down", components: { [apiComponent.id]: "major_outage" } },
      now,
      "importer",
    );
    const second = planOpenIncident(
      first.state,
      {
        name: "API slow",
        components: { [apiComponent.id]: "degraded_performance", [dbComponent.id]: "partial_outage" },
      },
      now,
      "importer",
    );
    await commitChanges(ctx, [first, second]);

    const [a, b] = [await get(first.view.id), await get(second.view.id)];
    // Each view is what a reload returns, with the components as the last plan left them.
    expect(a).toEqual(adminIncident(first.record, second.state.components, pageOf(second.state), api.clock.now()));
    expect(b).toEqual(second.view);
    // The second plan read the API's status from the first plan's state, not from the database.
    expect(b.incident_updates[0]?.affected_components).toEqual([
      { code: apiComponent.id, name: "API", old_status: "major_outage", new_status: "degraded_performance" },
      { code: dbComponent.id, name: "Database", old_status: "operational", new_status: "partial_outage" },
    ]);
    const statuses = await api.db.select({ id: components.id, status: components.status }).from(components);
    expect(Object.fromEntries(statuses.map((c) => [c.id, c.status]))).toEqual({
      [apiComponent.id]: "degraded_performance",
      [dbComponent.id]: "partial_outage",
    });
    const audits = await api.db.select().from(auditLog).where(eq(auditLog.action, "incident.open"));
    expect(audits.map((r) => r.targetId).sort()).toEqual([first.view.id, second.view.id].sort());
  });

  it("a batch commits all its changes or none", async () => {
    const state = await loadIncidentState(api.db);
    const now = api.clock.now();
    const good = planOpenIncident(state, { name: "Fine" }, now, "importer");
    const [pageRow] = await api.db.select().from(page);
    if (!pageRow) throw new Error("no page");
    const broken = { ...good, statements: [api.db.insert(page).values(pageRow)] };
    const jobsBefore = (await api.db.select().from(jobs)).length;
    await expect(commitChanges(ctx, [good, broken])).rejects.toThrow();
    expect(await api.db.select().from(incidents)).toEqual([]);
    expect((await api.db.select().from(jobs)).length).toBe(jobsBefore);
  });

  it("planning reads nothing: it returns at once, and a stale state plans against what it loaded", async () => {
    const opened = await api.request<AdminIncident>("POST", "/api/incidents", {
      json: { name: "DB", components: { [dbComponent.id]: "major_outage" } },
    });
    const state = await loadIncidentState(api.db, [opened.body.id]);
    const planned = planPostUpdate(state, opened.body.id, { status: "resolved" }, api.clock.now(), "t");
    expect(planned).not.toBeInstanceOf(Promise);
    expect(planned.view.status).toBe("resolved");
    // Nothing is written until the plan is committed.
    expect((await get(opened.body.id)).status).toBe("investigating");
  });
});

describe("what an action returns", () => {
  it("is exactly what reading the incident back returns, through its whole life", async () => {
    const opened = await api.request<AdminIncident>("POST", "/api/incidents", {
      json: {
        name: "Errors",
        components: { [apiComponent.id]: "partial_outage", [dbComponent.id]: "degraded_performance" },
      },
    });
    const id = opened.body.id;
    expect(opened.body).toEqual(await get(id));
    const steps: [string, string, unknown][] = [
      ["POST", `/api/incidents/${id}/updates`, { status: "identified", next_update_in_minutes: 30 }],
      [
        "POST",
        `/api/incidents/${id}/updates`,
        { status: "monitoring", components: { [apiComponent.id]: "degraded_performance" } },
      ],
      ["PATCH", `/api/incidents/${id}`, { name: "API errors", impact: "critical" }],
      ["POST", `/api/incidents/${id}/updates`, { status: "resolved" }],
      ["PUT", `/api/incidents/${id}/postmortem`, { body: "## Cause\n\nA bad deploy." }],
    ];
    for (const [method, path, json] of steps) {
      api.clock.advance(60_000);
      const response = await api.request<AdminIncident>(method, path, { json });
      expect(response.status, `${method} ${path}`).toBeLessThan(300);
      expect(response.body, `${method} ${path}`).toEqual(await get(id));
    }
    const last = await get(id);
    const first = last.incident_updates.at(-1);
    api.clock.advance(60_000);
    const edited = await api.request<AdminIncident>("PATCH", `/api/incidents/${id}/updates/${first?.id}`, {
      json: { body: "Corrected.", display_at: "2026-11-26T10:00:30Z" },
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toEqual(await get(id));
  });

  it("for components is what listing them returns", async () => {
    const group = await api.request<V2Component>("POST", "/api/components", {
      json: { name: "Platform", group: true },
    });
    const moved = await api.request<V2Component>("PATCH", `/api/components/${dbComponent.id}`, {
      json: { group_id: group.body.id, status: "partial_outage" },
    });
    const listed = (await api.request<V2Component[]>("GET", "/api/components")).body;
    expect(moved.body).toEqual(listed.find((c) => c.id === dbComponent.id));
    const reordered = await api.request<V2Component[]>("POST", "/api/components/reorder", {
      json: { ids: [group.body.id, apiComponent.id] },
    });
    expect(reordered.body).toEqual((await api.request<V2Component[]>("GET", "/api/components")).body);
  });
});

describe("when an update takes effect", () => {
  it("an update posted now is published now: publish_at and published_at are both set", async () => {
    const opened = await api.request<AdminIncident>("POST", "/api/incidents", { json: { name: "X" } });
    const rows = await api.db.select().from(incidentUpdates).where(eq(incidentUpdates.incidentId, opened.body.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]?.publishAt).toBe(api.clock.now().toISOString());
    expect(rows[0]?.publishedAt).toBe(api.clock.now().toISOString());
  });

  it("refuses an update shown before the incident started, naming display_at, and changes nothing", async () => {
    const opened = await api.request<AdminIncident>("POST", "/api/incidents", {
      json: { name: "X", display_at: "2026-11-26T09:00:00Z" },
    });
    expect(opened.body.started_at).toBe("2026-11-26T09:00:00.000Z");
    const before = await getIncident(api.db, opened.body.id);
    for (const [method, path, json] of [
      ["POST", `/api/incidents/${opened.body.id}/updates`, { status: "resolved", display_at: "2026-11-26T08:59:59Z" }],
      ["POST", `/api/incidents/${opened.body.id}/updates`, { status: "resolved", display_at: "0000-01-01T00:00:00Z" }],
      [
        "PATCH",
        `/api/incidents/${opened.body.id}/updates/${opened.body.incident_updates[0]?.id}`,
        { display_at: "2026-11-26T08:00:00Z" },
      ],
    ] as const) {
      const refused = await api.request<Problem>(method, path, { json });
      expect(refused.status).toBe(422);
      expect(refused.body.errors?.[0]?.path).toBe("display_at");
    }
    expect(await getIncident(api.db, opened.body.id)).toEqual(before);
  });

  it("a backdated resolution within the incident keeps resolved_at at or after started_at", async () => {
    const opened = await api.request<AdminIncident>("POST", "/api/incidents", {
      json: { name: "X", display_at: "2026-11-26T09:00:00Z" },
    });
    const resolved = await api.request<AdminIncident>("POST", `/api/incidents/${opened.body.id}/updates`, {
      json: { status: "resolved", display_at: "2026-11-26T09:00:00Z" },
    });
    expect(resolved.status).toBe(201);
    expect(resolved.body.resolved_at).toBe("2026-11-26T09:00:00.000Z");
    expect(resolved.body.started_at).toBe("2026-11-26T09:00:00.000Z");
  });

  it("a maintenance completed before its window never resolves before it started", async () => {
    const scheduled = await api.request<AdminIncident>("POST", "/api/incidents", {
      json: {
        name: "Upgrade",
        kind: "maintenance",
        scheduled_for: "2026-11-27T02:00:00Z",
        scheduled_until: "2026-11-27T04:00:00Z",
      },
    });
    const cancelled = await api.request<AdminIncident>("POST", `/api/incidents/${scheduled.body.id}/updates`, {
      json: { status: "completed", body: "Cancelled." },
    });
    expect(cancelled.status).toBe(201);
    const startedAt = cancelled.body.started_at ?? "";
    expect(Date.parse(cancelled.body.resolved_at ?? "")).toBeGreaterThanOrEqual(Date.parse(startedAt));
  });
});
