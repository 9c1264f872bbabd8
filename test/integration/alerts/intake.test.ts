import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ADMIN_ROUTES } from "../../../api/app.ts";
import type { Problem } from "../../../api/problem.ts";
import type { AlertSourceView } from "../../../core/alerts/sources/schemas.ts";
import { hmacHex } from "../../../core/alerts/sources/signature.ts";
import type { TokenSummary } from "../../../core/tokens/list-tokens.ts";
import { createTestApi, type TestApi } from "../../helpers/api.ts";
import { createSource, deliver, fixtureText, intakeState, logLines, storedAlerts } from "./intake-helpers.ts";

let api: TestApi;

beforeEach(async () => {
  api = await createTestApi();
});
afterEach(() => api.cleanup());

describe("alert sources", () => {
  it("an admin creates a source: its token is shown once, listed after its source, never again", async () => {
    const source = await createSource(api, { name: "Prometheus", kind: "alertmanager" });
    expect(source).toMatchObject({ id: "prometheus", kind: "alertmanager", intake_path: "/api/intake/prometheus" });
    expect(source.token).toMatch(/^hrld_/);
    expect(source.intake_url).toBe("https://status.acme.test/api/intake/prometheus");
    const listed = await api.request<AlertSourceView[]>("GET", "/api/alert-sources", { as: "viewer" });
    expect(listed.body.map((s) => s.id)).toEqual(["prometheus"]);
    expect(JSON.stringify(listed.body)).not.toContain(source.token);
    const tokens = await api.request<TokenSummary[]>("GET", "/api/tokens", { as: "admin" });
    expect(tokens.body.find((t) => t.id === source.token_id)).toMatchObject({
      name: "alert source: Prometheus (prometheus)",
      role: "automation",
    });
    expect(JSON.stringify(tokens.body)).not.toContain(source.token);
  });

  it("refuses a PagerDuty source without its signing secret, a heartbeat without its period, a taken id", async () => {
    const refused = async (json: Record<string, unknown>) => {
      const answer = await api.request<Problem>("POST", "/api/alert-sources", { as: "admin", json });
      expect(answer.status).toBe(422);
      return answer.body.errors?.map((e) => e.path);
    };
    expect(await refused({ name: "PD", kind: "pagerduty" })).toEqual(["signing_secret"]);
    expect(await refused({ name: "Backup", kind: "heartbeat" })).toEqual(["heartbeat_minutes"]);
    expect(await refused({ name: "Mail", kind: "email" })).toEqual(["kind"]);
    expect(await refused({ name: "Evil\u202e", kind: "generic" })).toEqual(["name"]);
    await createSource(api, { name: "Scripts", kind: "generic" });
    expect(await refused({ name: "Scripts", kind: "generic" })).toEqual(["name"]);
    expect(
      (await api.request("POST", "/api/alert-sources", { as: "commander", json: { name: "x", kind: "generic" } }))
        .status,
    ).toBe(403);
  });

  it("revoking a source refuses its next delivery at once (401); rotating replaces its token", async () => {
    const source = await createSource(api, { name: "Scripts", kind: "generic" });
    const body = JSON.stringify({ alerts: [{ status: "firing", summary: "x", labels: { a: "b" } }] });
    expect((await deliver(api, "scripts", { token: source.token, body })).status).toBe(202);
    const rotated = await api.request<{ token: string }>("POST", "/api/alert-sources/scripts/token", { as: "admin" });
    expect(rotated.status).toBe(201);
    expect((await deliver(api, "scripts", { token: source.token, body })).status).toBe(401);
    expect((await deliver(api, "scripts", { token: rotated.body.token, body })).status).toBe(200 + 2);
    expect((await storedAlerts(api)).map((a) => a.status)).toEqual(["firing"]);
    expect((await api.request("DELETE", "/api/alert-sources/scripts", { as: "admin" })).status).toBe(204);
    // Nothing could resolve its alerts any more: they resolve with it, and the rules look again.
    expect((await storedAlerts(api)).map((a) => a.status)).toEqual(["resolved"]);
    const after = await deliver(api, "scripts", { token: rotated.body.token, body });
    expect(after.status).toBe(401);
    expect(after.headers.get("Content-Type")).toContain("application/problem+json");
    expect((await api.request("POST", "/api/alert-sources/scripts/token", { as: "admin" })).status).toBe(409);
  });

  it("an automation token is refused everywhere else: every admin route and the console sign-in", async () => {
    const { token } = await createSource(api, { name: "Scripts", kind: "generic" });
    const before = await intakeState(api);
    for (const route of ADMIN_ROUTES) {
      const path = route.path.replace(/\{\w+\}/g, "x");
      const method = route.method.toUpperCase();
      const answer = await api.app.request(path, {
        method,
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body: method === "GET" || method === "DELETE" ? undefined : "{}",
      });
      expect(answer.status, `${method} ${route.path}`).toBe(403);
    }
    expect(await intakeState(api)).toBe(before);
    const signIn = await api.app.request("/admin/sign-in", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "http://localhost" },
      body: new URLSearchParams({ token, next: "/admin" }).toString(),
    });
    expect(signIn.status).toBe(403);
    expect(signIn.headers.get("Set-Cookie") ?? "").not.toContain("herald");
    expect(await signIn.text()).toContain("alert source&#39;s token");
  });
});

describe("the documented payloads of each sender", () => {
  it("Alertmanager's v4 example is stored as one firing alert, and its resolve resolves it", async () => {
    const { token } = await createSource(api, { name: "Prometheus", kind: "alertmanager" });
    const text = fixtureText("alertmanager-v4.json");
    const answer = await deliver(api, "prometheus", { token, body: text });
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ alerts: 1, changed: 1, evaluation_requested: true, duplicate: false });
    const [alert] = await storedAlerts(api);
    expect(alert).toMatchObject({
      fingerprint: "1a30ba71cca2921f",
      status: "firing",
      severity: "critical",
      summary: "BlackBox Probe Failure: https://server.example.org",
      firingSince: api.clock.now().toISOString(),
      resolvedAt: null,
    });
    const jobs = await api.db.$client.execute("SELECT kind, dedupe_key FROM jobs WHERE kind = 'evaluate_alerts'");
    expect(jobs.rows.map((r) => r.dedupe_key)).toEqual(["evaluate_alerts:0"]);

    api.clock.advance(60_000);
    const resolved = text
      .replaceAll('"firing"', '"resolved"')
      .replace('"0001-01-01T00:00:00Z"', '"2023-02-06T13:20:00Z"');
    expect((await deliver(api, "prometheus", { token, body: resolved })).body).toMatchObject({ changed: 1 });
    expect((await storedAlerts(api))[0]).toMatchObject({
      status: "resolved",
      resolvedAt: api.clock.now().toISOString(),
    });
    const [line] = await logLines(api, "?kind=received&limit=1");
    expect(line).toMatchObject({
      source_id: "prometheus",
      http_status: 202,
      summary: "1 alert (1 resolved); 1 changed",
    });
  });

  it("a payload without fingerprints gets one derived from its labels: the same alert every time", async () => {
    const { token } = await createSource(api, { name: "Old Alertmanager", kind: "alertmanager" });
    const text = fixtureText("alertmanager-without-fingerprint.json");
    await deliver(api, "old-alertmanager", { token, body: text });
    api.clock.advance(1000);
    expect((await deliver(api, "old-alertmanager", { token, body: text })).body).toMatchObject({ changed: 0 });
    const rows = await storedAlerts(api);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.fingerprint).toMatch(/^[0-9a-f]{16}$/);
  });

  it("Grafana's example is stored with its extras (values, silence link) as annotations", async () => {
    const { token } = await createSource(api, { name: "Grafana", kind: "grafana" });
    const answer = await deliver(api, "grafana", { token, body: fixtureText("grafana.json") });
    expect(answer.status).toBe(202);
    const rows = await storedAlerts(api);
    expect(rows.map((r) => r.fingerprint)).toEqual(["bc97ff14869b13e3", "c6eadffa33fcdf37"]);
    expect(rows[1]?.annotations).toMatchObject({ values: "B=44.23943737541908, C=1", org_id: "1" });
  });

  it("PagerDuty's signed v3 example is stored; its event id makes a redelivery a duplicate", async () => {
    const secret = "whsec-pagerduty-test";
    const { token } = await createSource(api, { name: "PagerDuty", kind: "pagerduty", signing_secret: secret });
    const text = fixtureText("pagerduty-incident-priority-updated.json");
    const signed = async (body: string) => ({
      "X-PagerDuty-Signature": `v1=${"0".repeat(64)},v1=${await hmacHex(secret, new TextEncoder().encode(body))}`,
    });
    const first = await deliver(api, "pagerduty", { token, body: text, headers: await signed(text) });
    expect(first.status).toBe(202);
    expect((await storedAlerts(api))[0]).toMatchObject({
      fingerprint: "PGR0VU2",
      status: "firing",
      severity: "critical",
      labels: expect.objectContaining({ service_id: "PF9KMXH", source: "pagerduty", urgency: "high" }),
    });
    const again = await deliver(api, "pagerduty", { token, body: text, headers: await signed(text) });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ duplicate: true, log_id: first.body.log_id });

    const resolvedText = text
      .replace('"5ac64822-4adc-4fda-ade0-410becf0de4f"', '"01DEDUPE00000000000000002"')
      .replace('"incident.priority_updated"', '"incident.resolved"');
    const resolved = await deliver(api, "pagerduty", {
      token,
      body: resolvedText,
      headers: await signed(resolvedText),
    });
    expect(resolved.status).toBe(202);
    expect((await storedAlerts(api))[0]?.status).toBe("resolved");

    const service = fixtureText("pagerduty-service-updated.json");
    const other = await deliver(api, "pagerduty", { token, body: service, headers: await signed(service) });
    expect(other.body).toMatchObject({ alerts: 0, changed: 0, evaluation_requested: false });
  });

  it("a bad or missing PagerDuty signature is a 401 that stores nothing but its log line", async () => {
    const { token } = await createSource(api, { name: "PagerDuty", kind: "pagerduty", signing_secret: "secret-one" });
    const text = fixtureText("pagerduty-incident-priority-updated.json");
    const before = await intakeState(api);
    const wrong = `v1=${await hmacHex("secret-two", new TextEncoder().encode(text))}`;
    const attempts: Record<string, string>[] = [{ "X-PagerDuty-Signature": wrong }, {}];
    for (const headers of attempts) {
      const answer = await deliver(api, "pagerduty", { token, body: text, headers });
      expect(answer.status).toBe(401);
      expect(answer.body.type).toBe("/problems/unauthorized");
      api.clock.advance(1000);
    }
    expect(await intakeState(api)).toBe(before);
    const lines = await logLines(api, "?kind=refused");
    expect(lines.map((l) => [l.source_id, l.http_status])).toEqual([
      ["pagerduty", 401],
      ["pagerduty", 401],
    ]);
    expect(lines[0]?.summary).toContain("X-PagerDuty-Signature is missing");
  });

  it("the generic format, as the OpenAPI document's example gives it", async () => {
    const { token } = await createSource(api, { name: "Scripts", kind: "generic" });
    const openApi = await api.request<{
      paths: Record<
        string,
        Record<string, { requestBody: { content: Record<string, { schema: { examples: unknown[] } }> } }>
      >;
    }>("GET", "/api/openapi.json", { as: null });
    const example =
      openApi.body.paths["/api/intake/{source}"]?.post?.requestBody.content["application/json"]?.schema.examples[0];
    expect(example).toBeDefined();
    const answer = await deliver(api, "scripts", { token, body: JSON.stringify(example) });
    expect(answer.status).toBe(202);
    expect((await storedAlerts(api))[0]).toMatchObject({
      status: "firing",
      severity: "critical",
      labels: { env: "production", service: "api" },
    });
  });
});

describe("bad deliveries: a problem, nothing changed, a log line", () => {
  it("malformed, not of the kind, oversized, unknown source, missing or foreign token", async () => {
    const prometheus = await createSource(api, { name: "Prometheus", kind: "alertmanager" });
    const scripts = await createSource(api, { name: "Scripts", kind: "generic" });
    const before = await intakeState(api);
    const cases: [string, Parameters<typeof deliver>[2], number, string][] = [
      ["prometheus", { token: prometheus.token, body: "{not json" }, 400, "/problems/malformed-request"],
      ["prometheus", { token: prometheus.token, body: fixtureText("grafana.json") }, 422, "/problems/validation-error"],
      ["prometheus", { token: prometheus.token, body: "x".repeat(300 * 1024) }, 413, "/problems/payload-too-large"],
      ["nosuch", { token: prometheus.token, body: "{}" }, 404, "/problems/not-found"],
      ["prometheus", { body: fixtureText("alertmanager-v4.json") }, 401, "/problems/unauthorized"],
      ["prometheus", { token: "hrld_not-a-token", body: "{}" }, 401, "/problems/unauthorized"],
      ["prometheus", { token: scripts.token, body: fixtureText("alertmanager-v4.json") }, 403, "/problems/forbidden"],
      [
        "prometheus",
        { token: api.tokens.admin, body: fixtureText("alertmanager-v4.json") },
        403,
        "/problems/forbidden",
      ],
      ["prometheus", { token: prometheus.token, method: "GET" }, 405, "/problems/method-not-allowed"],
    ];
    for (const [source, options, status, type] of cases) {
      const answer = await deliver(api, source, options);
      expect([source, answer.status, answer.body.type], JSON.stringify(answer.body)).toEqual([source, status, type]);
      expect(answer.headers.get("Content-Type")).toContain("application/problem+json");
    }
    expect(await intakeState(api)).toBe(before);
    const lines = await logLines(api, "?kind=refused");
    expect(lines.map((l) => l.http_status).sort()).toEqual([400, 401, 401, 403, 403, 404, 405, 413, 422]);
    expect(lines.find((l) => l.http_status === 404)).toMatchObject({
      source_id: null,
      details: expect.objectContaining({ source: "nosuch" }),
    });
    expect(lines.find((l) => l.http_status === 422)?.summary).toContain('version "4"');
  });

  it("answers 429 with Retry-After past 120 deliveries in 10 s, and logs the window's first refusal only", async () => {
    const { token } = await createSource(api, { name: "Scripts", kind: "generic" });
    const body = JSON.stringify({ alerts: [{ status: "firing", summary: "x", labels: { a: "b" } }] });
    const statuses: number[] = [];
    for (let i = 0; i < 125; i++) statuses.push((await deliver(api, "scripts", { token, body })).status);
    expect(statuses.filter((s) => s === 202)).toHaveLength(120);
    expect(statuses.slice(120)).toEqual([429, 429, 429, 429, 429]);
    const limited = await deliver(api, "scripts", { token, body });
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect((await logLines(api, "?kind=refused")).map((l) => l.http_status)).toEqual([429]);
    api.clock.advance(10_000);
    expect((await deliver(api, "scripts", { token, body })).status).toBe(202);
  });
});
