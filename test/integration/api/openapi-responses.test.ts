import { Ajv2020, type ErrorObject } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApi, type TestApi } from "../../helpers/api.ts";
import { joinTeam } from "../people/people-helpers.ts";

/**
 * A journey through the admin API (components, incidents, updates, templates, tokens, webhooks,
 * subscribers, page settings, audit, jobs, backups), every JSON answer checked against the response
 * schema the served OpenAPI document gives its route, with ajv (JSON Schema 2020-12, formats included).
 */

type Role = "admin" | "commander" | "viewer";
type Answer = { route: string; status: number; body: unknown };
type OpenApi = { paths: Record<string, Record<string, Operation>> };
type Operation = { responses: Record<string, { content?: Record<string, { schema?: unknown }> }> };

let api: TestApi;
let document: OpenApi;
const answers: Answer[] = [];

/** The documented path a request's path is an instance of; a literal segment wins over a `{name}`. */
function routeOf(method: string, path: string): string | undefined {
  const bare = path.split("?")[0] ?? path;
  const candidates = Object.keys(document.paths).filter((template) => {
    if (!document.paths[template]?.[method]) return false;
    const pattern = template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{\w+\}/g, "[^/]+");
    return new RegExp(`^${pattern}$`).test(bare);
  });
  candidates.sort((a, b) => (a.match(/\{/g)?.length ?? 0) - (b.match(/\{/g)?.length ?? 0));
  return candidates[0];
}

async function call<T>(method: string, path: string, json?: unknown, as: Role = "admin"): Promise<T> {
  const response = await api.request<T>(method.toUpperCase(), path, json === undefined ? { as } : { as, json });
  expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBeLessThan(300);
  const template = routeOf(method, path);
  expect(template, `${method} ${path} is not in the OpenAPI document`).toBeDefined();
  if (response.status !== 204) {
    answers.push({ route: `${method.toUpperCase()} ${template}`, status: response.status, body: response.body });
  }
  return response.body;
}

/** The JSON schema documented for a route's successful answer, if any. */
function responseSchema(route: string, status: number): { pointer: string } | undefined {
  const [method = "", path = ""] = route.split(" ");
  const responses = document.paths[path]?.[method.toLowerCase()]?.responses ?? {};
  // The document names one success code per route (201 for every post): take the answer's, else that one.
  const code = responses[String(status)] ? String(status) : Object.keys(responses).find((c) => c.startsWith("2"));
  if (!code || !responses[code]?.content?.["application/json"]?.schema) return undefined;
  const escaped = path.replace(/~/g, "~0").replace(/\//g, "~1");
  return { pointer: `/paths/${escaped}/${method.toLowerCase()}/responses/${code}/content/application~1json/schema` };
}

function describeError(error: ErrorObject): string {
  return `${error.instancePath || "/"} ${error.message ?? error.keyword} ${JSON.stringify(error.params)}`;
}

beforeAll(async () => {
  api = await createTestApi();
  document = (await api.request<OpenApi>("GET", "/api/openapi.json", { as: null })).body;

  type Component = { id: string };
  await call("get", "/api/page");
  await call("patch", "/api/page", { name: "Acme Status", support_url: "https://acme.test/support" });
  await call("patch", "/api/sso", { domains: ["example.com", "acme.test"], default_role: "commander" });
  await call("get", "/api/sso");
  const group = await call<Component>("post", "/api/components", { name: "Platform", group: true });
  const component = await call<Component>("post", "/api/components", { name: "API", description: "REST" });
  const database = await call<Component>("post", "/api/components", { name: "Database", group_id: group.id });
  await call("get", "/api/components", undefined, "viewer");
  await call("get", `/api/components/${component.id}`);
  await call("patch", `/api/components/${database.id}`, { status: "degraded_performance" });
  await call("post", "/api/components/reorder", { ids: [component.id, group.id] });

  const incident = await call<{ id: string }>("post", "/api/incidents", {
    name: "Elevated errors",
    status: "investigating",
    body: "We are looking into it.",
    components: { [component.id]: "partial_outage" },
  });
  await call("post", `/api/incidents/${incident.id}/updates`, { status: "identified", body: "Found it." });
  await call("get", "/api/incidents");
  await call("get", `/api/incidents/${incident.id}`);
  await call("get", `/api/incidents/${incident.id}/updates`);
  await call("get", "/api/scheduled-incidents");
  await call("get", "/api/scheduled-updates");

  const template = await call<{ id: string }>("post", "/api/templates", {
    name: "Database failover",
    kind: "incident",
    status: "identified",
    title: "Database failover in {{region}}",
    body: "We are failing over the database in {{region}}.",
    variables: [{ name: "region", required: true }],
  });
  await call("get", "/api/templates");
  await call("get", `/api/templates/${template.id}`);
  await call("patch", `/api/templates/${template.id}`, { body: "Failing over in {{region}}." });
  await call("post", `/api/templates/${template.id}/preview`, { variables: { region: "EU" } });
  await call("delete", `/api/templates/${template.id}`);

  const token = await call<{ id: string }>("post", "/api/tokens", { name: "deploy bot", role: "commander" });
  await call("get", "/api/tokens");
  await call("delete", `/api/tokens/${token.id}`);

  await call("post", "/api/webhooks", { url: "https://hooks.acme.test/herald", owner_email: "ops@acme.test" });
  await call("get", "/api/webhooks");
  const source = await call<{ id: string }>("post", "/api/alert-sources", { name: "Prometheus", kind: "alertmanager" });
  await call("get", "/api/alert-sources", undefined, "viewer");
  await call("post", `/api/alert-sources/${source.id}/token`);
  await call("get", "/api/alert-log?limit=5", undefined, "viewer");
  await call("delete", `/api/alert-sources/${source.id}`);
  await call("post", "/api/subscribers", { address: "reader@acme.test" });
  await call("get", "/api/subscribers");
  await call("get", "/api/subscribers/counts");

  await call("get", "/api/audit", undefined, "viewer");
  await call("get", "/api/audit?limit=5");
  await call("get", "/api/jobs");
  await call("get", "/api/jobs?state=pending&limit=10");
  await call("get", "/api/backups");
  await joinTeam(api, "ada@example.com", "Ada", "commander", "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0");
  const team = await call<{ people: { id: string }[] }>("get", "/api/people");
  const ada = team.people[0]?.id ?? "";
  await call("get", `/api/people/${ada}/sessions`);
  await call("get", `/api/people/${ada}/passkeys`);
  await call("delete", `/api/people/${ada}/sessions`);
  await call("get", "/api/review", undefined, "viewer");
  await call("get", `/api/review?from=2026-11-01&to=2026-11-26&component=${component.id}`, undefined, "viewer");
});

afterAll(() => api?.cleanup());

describe("the OpenAPI document describes the admin API's answers", () => {
  it("every JSON answer of the journey matches the response schema documented for its route", () => {
    const ajv = new Ajv2020({ allErrors: true, strict: true, strictSchema: false });
    addFormats(ajv);
    ajv.addSchema(document, "openapi.json");
    const mismatches: string[] = [];
    let checked = 0;
    for (const answer of answers) {
      const schema = responseSchema(answer.route, answer.status);
      if (!schema) continue;
      const validate = ajv.getSchema(`openapi.json#${schema.pointer}`);
      if (!validate) throw new Error(`no schema at ${schema.pointer}`);
      checked += 1;
      if (!validate(answer.body)) {
        mismatches.push(`${answer.route}: ${(validate.errors ?? []).map(describeError).join("; ")}`);
      }
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBeGreaterThan(20);
  });

  it("every route the journey answered documents its response schema", () => {
    const undescribed = [
      ...new Set(answers.filter((a) => !responseSchema(a.route, a.status)).map((a) => a.route)),
    ].sort();
    expect(undescribed).toEqual([]);
  });

  it("every admin route that answers with JSON documents the answer's schema", () => {
    const undescribed = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.entries(operations).flatMap(([method, operation]) => {
        if (!path.startsWith("/api/") || path.startsWith("/api/v2/")) return [];
        const success = Object.entries(operation.responses).find(([code]) => code.startsWith("2"));
        if (!success || success[0] === "204") return [];
        const [, answer] = success;
        // A download (the CSV export) is described in words; everything else by its schema.
        if (answer.content && !answer.content["application/json"]) return [];
        return answer.content?.["application/json"]?.schema ? [] : [`${method.toUpperCase()} ${path}`];
      }),
    );
    expect(undescribed).toEqual([]);
  });
});
