import { eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ActionContext } from "../../../core/actions/context.ts";
import type { AdminIncident } from "../../../core/incidents/admin-incident.ts";
import type { V2Component } from "../../../core/public/statuspage.ts";
import { tick } from "../../../core/scheduler/tick.ts";
import { auditLog, notificationEvents } from "../../../db/schema.ts";
import { createTestApi, type TestApi } from "../../helpers/api.ts";
import { contextFor } from "../../helpers/database.ts";
import { diffSnapshots, snapshotDb } from "../../helpers/db-snapshot.ts";
import { minutesAfterT0, succeeding } from "../../helpers/scheduler.ts";

let api: TestApi;
let ctx: ActionContext;
let apiComponent: V2Component;

beforeEach(async () => {
  api = await createTestApi();
  ctx = contextFor(api.db, api.clock);
  apiComponent = (await api.request<V2Component>("POST", "/api/components", { json: { name: "API" } })).body;
});
afterEach(() => api.cleanup());

const call = succeeding(() => api);

async function eventKinds(incidentId: string): Promise<string[]> {
  const rows = await api.db
    .select({ kind: notificationEvents.kind })
    .from(notificationEvents)
    .where(eq(notificationEvents.incidentId, incidentId))
    .orderBy(sql`rowid`);
  return rows.map((r) => r.kind);
}

/** Sends a request that must be refused with 409 problem+json, and checks that nothing at all was written. */
async function expectConflict(method: string, path: string, json: unknown): Promise<string> {
  // A token's last use is the only thing a refused request may touch.
  const snapshot = () => snapshotDb(api.db, ["api_tokens.last_used_at"]);
  const before = await snapshot();
  const refused = await api.request(method, path, { json });
  expect(refused.status, JSON.stringify(refused.body)).toBe(409);
  expect(refused.headers.get("content-type")).toContain("application/problem+json");
  expect(refused.body).toMatchObject({ type: "/problems/conflict", title: "Conflict", status: 409 });
  expect(diffSnapshots(before, await snapshot())).toEqual([]);
  return refused.body.detail;
}

async function openAndResolve(): Promise<AdminIncident> {
  const opened = await call<AdminIncident>("POST", "/api/incidents", {
    name: "API errors",
    components: { [apiComponent.id]: "partial_outage" },
  });
  api.clock.advance(60_000);
  return call<AdminIncident>("POST", `/api/incidents/${opened.id}/updates`, { status: "resolved" });
}

function scheduleMaintenance(): Promise<AdminIncident> {
  return call<AdminIncident>("POST", "/api/incidents", {
    kind: "maintenance",
    name: "Database upgrade",
    scheduled_for: minutesAfterT0(120),
    scheduled_until: minutesAfterT0(180),
    components: { [apiComponent.id]: "under_maintenance" },
  });
}

describe("transitions are idempotent and honest", () => {
  it("resolving a resolved incident is a 409 stating it is resolved; nothing is written and no one told", async () => {
    const resolved = await openAndResolve();
    api.clock.advance(60_000);
    const detail = await expectConflict("POST", `/api/incidents/${resolved.id}/updates`, { status: "resolved" });
    expect(detail).toContain("already resolved");
    expect(detail).toContain(resolved.resolved_at ?? "");
    expect(await eventKinds(resolved.id)).toEqual(["incident.opened", "incident.resolved"]);
  });

  it("a new status on a resolved incident is refused and points to reopening", async () => {
    const resolved = await openAndResolve();
    const detail = await expectConflict("POST", `/api/incidents/${resolved.id}/updates`, {
      status: "investigating",
      body: "It is back.",
    });
    expect(detail).toContain("reopen");
    const edit = await expectConflict("PATCH", `/api/incidents/${resolved.id}`, { status: "identified" });
    expect(edit).toContain("reopen");
  });

  it("a timed update to a resolved incident is refused when scheduled, and dropped when it falls due after a manual resolve", async () => {
    const opened = await call<AdminIncident>("POST", "/api/incidents", { name: "API errors" });
    await call("POST", `/api/incidents/${opened.id}/updates`, {
      status: "resolved",
      publish_at: minutesAfterT0(30),
    });
    api.clock.set(minutesAfterT0(10));
    await call("POST", `/api/incidents/${opened.id}/updates`, { status: "resolved" });
    await expectConflict("POST", `/api/incidents/${opened.id}/updates`, {
      status: "resolved",
      publish_at: minutesAfterT0(40),
    });
    api.clock.set(minutesAfterT0(31));
    const result = await tick(ctx);
    expect(result.published).toEqual([]);
    expect(result.discarded).toHaveLength(1);
    expect(await eventKinds(opened.id)).toEqual(["incident.opened", "incident.resolved"]);
    const audit = await api.db.select().from(auditLog).where(eq(auditLog.action, "update.discard"));
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0]?.details)).toContain("already resolved");
    expect((await tick(ctx)).discarded).toEqual([]);
  });

  it("completing a completed maintenance, and cancelling a cancelled or completed one, are 409s", async () => {
    const maintenance = await scheduleMaintenance();
    api.clock.set(minutesAfterT0(120));
    await call("POST", `/api/incidents/${maintenance.id}/updates`, { status: "in_progress" });
    await call("POST", `/api/incidents/${maintenance.id}/updates`, { status: "completed" });
    const again = await expectConflict("POST", `/api/incidents/${maintenance.id}/updates`, { status: "completed" });
    expect(again).toContain("already completed");
    expect(await expectConflict("POST", `/api/incidents/${maintenance.id}/cancel`, {})).toContain("completed");

    const cancelled = await scheduleMaintenance();
    await call("POST", `/api/incidents/${cancelled.id}/cancel`, {});
    expect(await expectConflict("POST", `/api/incidents/${cancelled.id}/cancel`, {})).toContain("cancelled");
    expect(await expectConflict("POST", `/api/incidents/${cancelled.id}/updates`, { status: "in_progress" })).toContain(
      "cancelled",
    );
    expect(await eventKinds(maintenance.id)).toEqual([
      "maintenance.scheduled",
      "maintenance.started",
      "maintenance.completed",
    ]);
    expect(await eventKinds(cancelled.id)).toEqual(["maintenance.scheduled", "maintenance.cancelled"]);
  });

  it("a started maintenance cannot go back to scheduled; a second in-progress post is a progress note, not a second start", async () => {
    const maintenance = await scheduleMaintenance();
    api.clock.set(minutesAfterT0(120));
    await call("POST", `/api/incidents/${maintenance.id}/updates`, { status: "in_progress" });
    const detail = await expectConflict("POST", `/api/incidents/${maintenance.id}/updates`, { status: "scheduled" });
    expect(detail).toContain("in progress");
    await call("POST", `/api/incidents/${maintenance.id}/updates`, { status: "in_progress", body: "Halfway." });
    expect(await eventKinds(maintenance.id)).toEqual([
      "maintenance.scheduled",
      "maintenance.started",
      "maintenance.updated",
    ]);
  });
});

describe("reopening a resolved incident", () => {
  it("is its own audited transition: open again on the page, components back, subscribers told it is back", async () => {
    const resolved = await openAndResolve();
    api.clock.advance(10 * 60_000);
    const reopened = await call<AdminIncident>("POST", `/api/incidents/${resolved.id}/reopen`, {
      status: "investigating",
      body: "The errors are back.",
      components: { [apiComponent.id]: "major_outage" },
    });
    expect(reopened).toMatchObject({ status: "investigating", resolved_at: null, impact: "critical" });
    expect(reopened.incident_updates[0]?.body).toBe("The errors are back.");
    expect(await eventKinds(resolved.id)).toEqual(["incident.opened", "incident.resolved", "incident.reopened"]);
    const audit = await api.db.select().from(auditLog).where(eq(auditLog.action, "incident.reopen"));
    expect(audit.map((a) => a.targetId)).toEqual([resolved.id]);

    const unresolved = await api.request<{ incidents: { id: string; status: string }[] }>(
      "GET",
      "/api/v2/incidents/unresolved.json",
      { as: null },
    );
    expect(unresolved.body.incidents.map((i) => [i.id, i.status])).toEqual([[resolved.id, "investigating"]]);
    const summary = await api.request<{ status: { indicator: string }; components: V2Component[] }>(
      "GET",
      "/api/v2/summary.json",
      { as: null },
    );
    expect(summary.body.status.indicator).toBe("critical");
    expect(summary.body.components.find((c) => c.id === apiComponent.id)?.status).toBe("major_outage");

    // Open again, it takes updates and resolves as any incident does, told once more.
    api.clock.advance(60_000);
    await call("POST", `/api/incidents/${resolved.id}/updates`, { status: "resolved" });
    expect((await eventKinds(resolved.id)).at(-1)).toBe("incident.resolved");
  });

  it("an open incident or a maintenance cannot be reopened, and a reopen needs a text", async () => {
    const open = await call<AdminIncident>("POST", "/api/incidents", { name: "API errors" });
    const detail = await expectConflict("POST", `/api/incidents/${open.id}/reopen`, {
      status: "identified",
      body: "Back.",
    });
    expect(detail).toContain("open (investigating)");
    const resolved = await openAndResolve();
    const missing = await api.request("POST", `/api/incidents/${resolved.id}/reopen`, {
      json: { status: "investigating" },
    });
    expect(missing.status).toBe(422);
    expect(missing.body.errors?.map((e) => e.path)).toEqual(["body"]);
    const closingStatus = await api.request("POST", `/api/incidents/${resolved.id}/reopen`, {
      json: { status: "resolved", body: "x" },
    });
    expect(closingStatus.status).toBe(422);
    const maintenance = await scheduleMaintenance();
    const refused = await api.request("POST", `/api/incidents/${maintenance.id}/reopen`, {
      json: { status: "investigating", body: "x" },
    });
    expect(refused.status).toBe(422);
  });
});
