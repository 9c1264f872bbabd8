import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Problem } from "../../../api/problem.ts";
import type { RuleView } from "../../../core/alerts/rules/rule-view.ts";
import type { RuleTest } from "../../../core/alerts/rules/test-rule.ts";
import { createTestApi, type TestApi } from "../../helpers/api.ts";
import { createIncidentTemplate, createRule, evaluate, pageStatus, send, setUp } from "./automation-helpers.ts";
import { fixtureText, intakeState } from "./intake-helpers.ts";

let api: TestApi;
let ids: Awaited<ReturnType<typeof setUp>>;

beforeEach(async () => {
  api = await createTestApi();
  ids = await setUp(api);
});
afterEach(() => api.cleanup());

const refused = async (method: string, path: string, json: unknown, as: "admin" | "viewer" = "admin") => {
  const answer = await api.request<Problem>(method, path, { as, json });
  expect(answer.status, JSON.stringify(answer.body)).toBe(422);
  expect(answer.headers.get("Content-Type")).toContain("application/problem+json");
  return answer.body.errors ?? [];
};

describe("alert rules", () => {
  it("an admin creates, reads, edits and deletes a rule; a viewer reads; a commander cannot write", async () => {
    const rule = await createRule(api, {
      name: "API errors",
      matchers: ['{service="api", env=~"prod|production"}'],
      component_ids: [ids.api.id],
      statuses: { critical: "major_outage" },
      for_seconds: 30,
    });
    expect(rule).toMatchObject({
      enabled: true,
      source_ids: null,
      statuses: {
        critical: "major_outage",
        warning: "partial_outage",
        info: "degraded_performance",
        default: "partial_outage",
      },
      template_id: null,
      auto_publish_minutes: null,
      remind_minutes: 10,
    });
    expect((await api.request<RuleView[]>("GET", "/api/alert-rules", { as: "viewer" })).body).toEqual([rule]);
    expect((await api.request<RuleView>("GET", `/api/alert-rules/${rule.id}`, { as: "viewer" })).body).toEqual(rule);
    const edited = await api.request<RuleView>("PATCH", `/api/alert-rules/${rule.id}`, {
      as: "admin",
      json: { enabled: false, component_ids: [ids.api.id, ids.database.id] },
    });
    expect(edited.body).toMatchObject({
      enabled: false,
      component_ids: [ids.api.id, ids.database.id],
      for_seconds: 30,
    });
    expect((await api.request("POST", "/api/alert-rules", { as: "commander", json: { name: "x" } })).status).toBe(403);
    expect((await api.request("DELETE", `/api/alert-rules/${rule.id}`, { as: "commander" })).status).toBe(403);
    expect((await api.request("DELETE", `/api/alert-rules/${rule.id}`, { as: "admin" })).status).toBe(204);
    expect((await api.request("GET", `/api/alert-rules/${rule.id}`, { as: "viewer" })).status).toBe(404);
  });

  it("refuses a bad matcher with a 422 naming the matcher and the problem, and changes nothing", async () => {
    const before = await intakeState(api);
    const errors = await refused("POST", "/api/alert-rules", {
      name: "Bad",
      matchers: ['service="api"', 'env=~"(prod"'],
      component_ids: [ids.api.id],
    });
    expect(errors).toEqual([
      {
        path: "matchers.1",
        message: expect.stringMatching(/^env=~"\(prod": the regular expression "\(prod" is not valid/),
      },
    ]);
    expect(
      (await refused("POST", "/api/alert-rules", { name: "B", matchers: ["service"], component_ids: [ids.api.id] }))[0],
    ).toMatchObject({
      path: "matchers.0",
      message: expect.stringContaining("expected one of =, !=, =~, !~"),
    });
    expect(await intakeState(api)).toBe(before);
  });

  it("refuses unknown components, groups, maintenance templates, unknown sources and out-of-range numbers", async () => {
    const group = (
      await api.request<{ id: string }>("POST", "/api/components", {
        as: "admin",
        json: { name: "Core", group: true },
      })
    ).body;
    const errors = await refused("POST", "/api/alert-rules", {
      name: "Bad refs",
      matchers: ["service=api"],
      component_ids: ["nosuchthing1", group.id],
      template_id: "nosuch",
      source_ids: ["nosuch"],
    });
    expect(errors.map((e) => e.path)).toEqual(["component_ids.0", "component_ids.1", "template_id", "source_ids.0"]);
    const numbers = await refused("POST", "/api/alert-rules", {
      name: "Bad numbers",
      matchers: ["service=api"],
      component_ids: [ids.api.id],
      for_seconds: 86_401,
      auto_publish_minutes: 0,
      remind_minutes: 1441,
      statuses: { critical: "operational" },
    });
    expect(numbers.map((e) => e.path).sort()).toEqual([
      "auto_publish_minutes",
      "for_seconds",
      "remind_minutes",
      "statuses.critical",
    ]);
    expect((await refused("POST", "/api/alert-rules", { name: "All", component_ids: [ids.api.id] }))[0]?.path).toBe(
      "matchers",
    );
  });
});

describe("testing a rule against a pasted payload", () => {
  it("shows what Alertmanager's example would do (component, draft), changing nothing", async () => {
    const template = await createIncidentTemplate(api);
    const before = await intakeState(api);
    const answer = await api.request<RuleTest>("POST", "/api/alert-rules/test", {
      as: "viewer",
      json: {
        rule: {
          name: "Probes",
          matchers: ["alertname=ProbeFailure"],
          component_ids: [ids.api.id],
          template_id: template,
          for_seconds: 120,
        },
        kind: "alertmanager",
        payload: JSON.parse(fixtureText("alertmanager-v4.json")),
      },
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.alerts).toEqual([
      {
        fingerprint: "1a30ba71cca2921f",
        status: "firing",
        summary: "BlackBox Probe Failure: https://server.example.org",
        matched: true,
        counts_at: "2026-11-26T10:02:00.000Z",
      },
    ]);
    expect(answer.body.applies_at).toBe("2026-11-26T10:02:00.000Z");
    expect(answer.body.components).toEqual([
      {
        component_id: ids.api.id,
        name: "API",
        action: "move",
        from: "operational",
        to: "major_outage",
        reason: "an alert asks for major outage",
      },
    ]);
    expect(answer.body.draft).toMatchObject({
      action: "create",
      name: "API trouble",
      components: { [ids.api.id]: "major_outage" },
    });
    expect(await intakeState(api)).toBe(before);
  });

  it("tests a saved rule against the current state: a component already held says why not", async () => {
    const rule = await createRule(api, { name: "API", matchers: ["service=api"], component_ids: [ids.api.id] });
    await send(api, ids.source.token, { fingerprint: "down", status: "firing", severity: "critical" });
    await evaluate(api);
    expect(await pageStatus(api, ids.api.id)).toBe("major_outage");
    const answer = await api.request<RuleTest>("POST", "/api/alert-rules/test", {
      as: "viewer",
      json: {
        rule_id: rule.id,
        alerts: [
          {
            fingerprint: "x",
            status: "firing",
            severity: "info",
            summary: "slow",
            labels: { service: "api" },
            annotations: {},
            url: null,
            startsAt: null,
          },
          {
            fingerprint: "y",
            status: "firing",
            severity: "critical",
            summary: "db",
            labels: { service: "db" },
            annotations: {},
            url: null,
            startsAt: null,
          },
        ],
      },
    });
    expect(answer.body.alerts.map((a) => a.matched)).toEqual([true, false]);
    expect(answer.body.components[0]).toMatchObject({ action: "none", reason: "already at major outage or worse" });
    expect(answer.body.draft.action).toBe("none");
    const neither = await refused("POST", "/api/alert-rules/test", { rule_id: rule.id }, "viewer");
    expect(neither[0]?.path).toBe("alerts");
    const bad = await refused(
      "POST",
      "/api/alert-rules/test",
      { rule_id: rule.id, kind: "alertmanager", payload: { version: "4" } },
      "viewer",
    );
    expect(bad.length).toBeGreaterThan(0);
  });
});
