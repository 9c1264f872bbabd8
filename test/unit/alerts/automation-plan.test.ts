import { describe, expect, it } from "vitest";
import { planEvaluation } from "../../../core/alerts/automation/plan.ts";
import type { AlertRow, AutomatedRow, AutomationState, RuleRow } from "../../../core/alerts/automation/state.ts";
import { INVENTORY_DEFAULTS } from "../../../core/inventory/defaults.ts";
import type { ComponentRow } from "../../../core/model/rows.ts";
import type { ComponentStatus } from "../../../core/model/statuses.ts";
import type { Template } from "../../../core/templates/schemas.ts";

const T0 = "2026-03-01T12:00:00.000Z";
const at = (seconds: number) => new Date(new Date(T0).getTime() + seconds * 1000);

function component(id: string, status: ComponentStatus = "operational", isGroup = false): ComponentRow {
  return {
    id,
    name: id.toUpperCase(),
    description: null,
    status,
    groupId: null,
    isGroup,
    position: 0,
    showcase: true,
    onlyShowIfDegraded: false,
    startDate: null,
    ...INVENTORY_DEFAULTS,
    createdAt: T0,
    updatedAt: T0,
  };
}

function rule(overrides: Partial<RuleRow> = {}): RuleRow {
  return {
    id: "r1",
    name: "API down",
    position: 1,
    enabled: true,
    matchers: ['service="api"'],
    sourceIds: [],
    componentIds: ["api"],
    statuses: {
      critical: "major_outage",
      warning: "partial_outage",
      info: "degraded_performance",
      default: "partial_outage",
    },
    forSeconds: 0,
    templateId: null,
    autoPublishMinutes: null,
    remindMinutes: 10,
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

function alert(id: string, overrides: Partial<AlertRow> = {}): AlertRow {
  return {
    id,
    sourceId: "prom",
    fingerprint: id,
    status: "firing",
    severity: "warning",
    summary: `alert ${id}`,
    labels: { service: "api" },
    annotations: {},
    url: null,
    startsAt: null,
    firingSince: T0,
    resolvedAt: null,
    firstReceivedAt: T0,
    lastReceivedAt: T0,
    ...overrides,
  };
}

function held(componentId: string, overrides: Partial<AutomatedRow> = {}): AutomatedRow {
  return {
    componentId,
    status: "partial_outage",
    restoreStatus: "operational",
    alertIds: ["a1"],
    ruleIds: ["r1"],
    since: T0,
    ...overrides,
  };
}

function state(overrides: Partial<AutomationState> = {}): AutomationState {
  return {
    rules: [rule()],
    alerts: [],
    components: [component("api"), component("web")],
    automated: [],
    holds: [],
    personChangedAt: {},
    waitingDrafts: [],
    templates: [],
    page: { name: "Example", timeZone: "UTC" },
    ...overrides,
  };
}

const kinds = (s: AutomationState, now = at(1)) =>
  planEvaluation(s, now).components.map((d) => ({
    kind: d.kind,
    id: d.componentId,
    ...("to" in d ? { to: d.to } : {}),
  }));

describe("the alert automation's plan", () => {
  it("moves a matched component to the status of the alert's severity, remembering what it was", () => {
    const plan = planEvaluation(state({ alerts: [alert("a1")] }), at(1));
    expect(plan.components).toEqual([
      expect.objectContaining({
        kind: "move",
        componentId: "api",
        from: "operational",
        to: "partial_outage",
        restoreStatus: "operational",
        alertId: "a1",
        existing: null,
      }),
    ]);
  });

  it("ignores alerts whose labels or source do not match", () => {
    expect(kinds(state({ alerts: [alert("a1", { labels: { service: "db" } })] }))).toEqual([]);
    expect(kinds(state({ rules: [rule({ sourceIds: ["other"] })], alerts: [alert("a1")] }))).toEqual([]);
    expect(kinds(state({ rules: [rule({ sourceIds: ["prom"] })], alerts: [alert("a1")] }))).toEqual([
      { kind: "move", id: "api", to: "partial_outage" },
    ]);
  });

  it("takes the worst status over every counted alert, and `default` for an alert without a severity", () => {
    const alerts = [
      alert("a1", { severity: "info" }),
      alert("a2", { severity: "critical" }),
      alert("a3", { severity: null }),
    ];
    expect(kinds(state({ alerts }))).toEqual([{ kind: "move", id: "api", to: "major_outage" }]);
    expect(kinds(state({ alerts: [alert("a3", { severity: null })] }))).toEqual([
      { kind: "move", id: "api", to: "partial_outage" },
    ]);
  });

  it("damps: an alert counts only after for_seconds of firing, and the plan says when the next one counts", () => {
    const s = state({ rules: [rule({ forSeconds: 60 })], alerts: [alert("a1")] });
    const early = planEvaluation(s, at(59));
    expect(early.components).toEqual([]);
    expect(early.nextDueAt).toBe(at(60).toISOString());
    expect(kinds(s, at(60))).toEqual([{ kind: "move", id: "api", to: "partial_outage" }]);
    expect(planEvaluation(s, at(60)).nextDueAt).toBeNull();
  });

  it("never lowers a status a person set: it only raises", () => {
    const s = state({ components: [component("api", "major_outage")], alerts: [alert("a1")] });
    expect(kinds(s)).toEqual([]);
    const raised = planEvaluation(
      state({ components: [component("api", "degraded_performance")], alerts: [alert("a1")] }),
      at(1),
    );
    expect(raised.components[0]).toMatchObject({
      kind: "move",
      to: "partial_outage",
      restoreStatus: "degraded_performance",
    });
  });

  it("moves freely within its own hold, never below the status it restores to", () => {
    const hold = held("api", { status: "major_outage", restoreStatus: "degraded_performance" });
    const s = state({
      components: [component("api", "major_outage")],
      automated: [hold],
      alerts: [alert("a1", { severity: "info" })],
    });
    expect(kinds(s)).toEqual([{ kind: "move", id: "api", to: "degraded_performance" }]);
    const worse = state({
      components: [component("api", "partial_outage")],
      automated: [held("api")],
      alerts: [alert("a1", { severity: "critical" })],
    });
    expect(planEvaluation(worse, at(1)).components[0]).toMatchObject({
      kind: "move",
      to: "major_outage",
      existing: held("api"),
    });
  });

  it("restores when no alert holds it any more", () => {
    const s = state({
      components: [component("api", "partial_outage")],
      automated: [held("api", { restoreStatus: "degraded_performance" })],
    });
    expect(kinds(s)).toEqual([{ kind: "restore", id: "api", to: "degraded_performance" }]);
  });

  it("lets a person win: a direct change since the hold began ends it, whatever status it set", () => {
    const person = { personChangedAt: { api: at(1).toISOString() } };
    const changed = state({
      components: [component("api", "degraded_performance")],
      automated: [held("api")],
      alerts: [alert("a1")],
      ...person,
    });
    expect(kinds(changed, at(2))).toEqual([{ kind: "release", id: "api" }]);
    const same = state({
      components: [component("api", "partial_outage")],
      automated: [held("api")],
      alerts: [alert("a1")],
      ...person,
    });
    expect(kinds(same, at(2))).toEqual([{ kind: "release", id: "api" }]);
  });

  it("takes a component an incident's update changed (the incident since closed) up again from its new status", () => {
    const s = state({ components: [component("api", "operational")], automated: [held("api")], alerts: [alert("a1")] });
    expect(planEvaluation(s, at(1)).components[0]).toMatchObject({
      kind: "move",
      to: "partial_outage",
      existing: null,
      released: held("api"),
    });
  });

  it("counts an alert that began after the person's change again", () => {
    const s = state({
      components: [component("api", "degraded_performance")],
      automated: [held("api")],
      alerts: [alert("a1"), alert("a2", { firingSince: at(5).toISOString(), severity: "critical" })],
      personChangedAt: { api: at(1).toISOString() },
    });
    expect(planEvaluation(s, at(6)).components[0]).toMatchObject({
      kind: "move",
      to: "major_outage",
      alertIds: ["a2"],
      released: held("api"),
    });
  });

  it("skips a component under maintenance or named by a person's open incident", () => {
    const maintenance = state({ components: [component("api", "under_maintenance")], alerts: [alert("a1")] });
    expect(planEvaluation(maintenance, at(1)).components).toEqual([
      expect.objectContaining({ kind: "skip", reason: "maintenance", desired: "partial_outage", since: T0 }),
    ]);
    const incident = state({
      alerts: [alert("a1")],
      holds: [{ componentId: "api", kind: "incident", incidentId: "i1", name: "API errors" }],
    });
    expect(planEvaluation(incident, at(1)).components).toEqual([
      expect.objectContaining({ kind: "skip", reason: "incident" }),
    ]);
  });

  it("never moves a group, and regroups a hold whose alerts changed at the same status", () => {
    expect(
      kinds(
        state({
          rules: [rule({ componentIds: ["g"] })],
          components: [component("g", "operational", true)],
          alerts: [alert("a1")],
        }),
      ),
    ).toEqual([]);
    const s = state({
      components: [component("api", "partial_outage")],
      automated: [held("api")],
      alerts: [alert("a1"), alert("a2")],
    });
    expect(planEvaluation(s, at(1)).components).toEqual([
      expect.objectContaining({ kind: "regroup", alertIds: ["a1", "a2"] }),
    ]);
  });

  it("drafts one incident per rule from its template, and attaches later alerts to the waiting draft", () => {
    const template: Template = {
      id: "api-down",
      name: "API down",
      kind: "incident",
      status: "investigating",
      title: "{{components}} trouble",
      body: "We are looking into {{components}}.",
      impact: null,
      component_status: null,
      components: {},
      next_update_in_minutes: 30,
      variables: [],
    };
    const s = state({
      rules: [rule({ templateId: "api-down", autoPublishMinutes: 15 })],
      templates: [template],
      alerts: [alert("a1")],
    });
    const [draft] = planEvaluation(s, at(1)).drafts;
    expect(draft?.create).toMatchObject({
      name: "API trouble",
      body: "We are looking into API.",
      status: "investigating",
      components: { api: "partial_outage" },
      remindAt: at(1).toISOString(),
      autoPublishAt: at(1 + 15 * 60).toISOString(),
    });
    expect(draft?.attach).toEqual(["a1"]);
    const waiting = {
      ...s,
      alerts: [alert("a1"), alert("a2")],
      waitingDrafts: [{ id: "d1", ruleId: "r1", alertIds: ["a1"] }],
    };
    expect(planEvaluation(waiting, at(1)).drafts).toEqual([
      { ruleId: "r1", draftId: "d1", create: null, attach: ["a2"] },
    ]);
    const held = { ...s, components: [component("api", "under_maintenance")] };
    expect(planEvaluation(held, at(1)).drafts).toEqual([]);
  });
});
