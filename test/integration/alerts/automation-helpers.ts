import { and, eq, isNotNull } from "drizzle-orm";
import { expect } from "vitest";
import type { RuleView } from "../../../core/alerts/rules/rule-view.ts";
import type { ComponentStatus } from "../../../core/model/statuses.ts";
import type { V2Component } from "../../../core/public/statuspage.ts";
import { tick } from "../../../core/scheduler/tick.ts";
import { alertLog, componentStatusChanges } from "../../../db/schema.ts";
import type { TestApi } from "../../helpers/api.ts";
import { contextFor } from "../../helpers/database.ts";
import { createSource, deliver } from "./intake-helpers.ts";

/** A page with two components and a generic alert source, as a new user sets it up through the API. */
export async function setUp(api: TestApi) {
  const component = async (name: string) =>
    (await api.request<V2Component>("POST", "/api/components", { as: "admin", json: { name } })).body;
  const [apiComponent, database] = [await component("API"), await component("Database")];
  const source = await createSource(api, { name: "Scripts", kind: "generic" });
  return { api: apiComponent, database, source };
}

export async function createRule(api: TestApi, json: Record<string, unknown>): Promise<RuleView> {
  const created = await api.request<RuleView>("POST", "/api/alert-rules", { as: "admin", json });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body;
}

/** One alert as a script posts it to the generic intake. */
export async function send(
  api: TestApi,
  token: string,
  alert: { fingerprint: string; status: "firing" | "resolved"; severity?: string; labels?: Record<string, string> },
) {
  const body = JSON.stringify({
    alerts: [{ summary: `${alert.fingerprint} ${alert.status}`, labels: { service: "api" }, ...alert }],
  });
  const answer = await deliver(api, "scripts", { token, body });
  expect(answer.status, JSON.stringify(answer.body)).toBe(202);
}

/** The scheduler's tick, as the runner's interval and the Worker's cron run it: it evaluates what is owed. */
export function evaluate(api: TestApi) {
  return tick(contextFor(api.db, api.clock));
}

/** A component's status as the public page's JSON shows it. */
export async function pageStatus(api: TestApi, id: string): Promise<ComponentStatus | undefined> {
  const summary = await api.request<{ components: V2Component[] }>("GET", "/api/v2/summary.json", { as: null });
  return summary.body.components.find((c) => c.id === id)?.status;
}

/** The status changes the automation recorded for a component (each carries its alert). */
export async function automatedChanges(api: TestApi, componentId: string) {
  return api.db
    .select({
      from: componentStatusChanges.oldStatus,
      to: componentStatusChanges.newStatus,
      alertId: componentStatusChanges.alertId,
    })
    .from(componentStatusChanges)
    .where(and(eq(componentStatusChanges.componentId, componentId), isNotNull(componentStatusChanges.alertId)))
    .orderBy(componentStatusChanges.at);
}

export async function logKinds(api: TestApi, kind: "moved" | "restored" | "skipped" | "draft") {
  return api.db
    .select({ summary: alertLog.summary, details: alertLog.details })
    .from(alertLog)
    .where(eq(alertLog.kind, kind));
}

/** An incident template of the team's own, as the drafts' rule names it. */
export async function createIncidentTemplate(api: TestApi, id = "api-trouble") {
  const created = await api.request("POST", "/api/templates", {
    as: "admin",
    json: {
      id,
      name: "API trouble",
      kind: "incident",
      status: "investigating",
      title: "{{components}} trouble",
      body: "We are looking into errors on {{components}}.",
      component_status: "partial_outage",
      next_update_in_minutes: 30,
    },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return id;
}
