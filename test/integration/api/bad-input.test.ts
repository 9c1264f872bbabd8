import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AdminRoute, routeBodySchema, routeQueryParameters } from "../../../api/admin-route.ts";
import { ADMIN_ROUTES } from "../../../api/app.ts";
import type { Problem } from "../../../api/problem.ts";
import type { AdminIncident } from "../../../core/incidents/admin-incident.ts";
import type { V2Component } from "../../../core/public/statuspage.ts";
import { seedStockTemplates } from "../../../core/templates/seed-stock-templates.ts";
import { jobs, passkeys } from "../../../db/schema.ts";
import { insertWaitingDraft } from "../../helpers/alert-drafts.ts";
import { createTestApi, type TestApi } from "../../helpers/api.ts";
import { type ChangeCounter, installChangeCounter } from "../../helpers/change-counter.ts";
import { contextFor } from "../../helpers/database.ts";
import { type DbSnapshot, diffSnapshots, snapshotDb } from "../../helpers/db-snapshot.ts";
import { sampledOnWorkerd } from "../../helpers/runtime.ts";
import { joinTeam } from "../people/people-helpers.ts";

/**
 * The bad-input corpus: every write route of the admin API (read from the route specs, so a new route fails
 * "has cases" until it is given a valid example below) gets the classic hostile inputs, built from its body
 * schema, and each must be refused with a 4xx problem+json that changes no row of any table. Legitimate
 * but unusual text (emoji, right-to-left scripts, zero-width joiners, markup) must be accepted, normalized.
 */

type Role = "admin" | "commander" | "viewer";
type World = {
  group: string;
  api: string;
  website: string;
  database: string;
  openIncident: string;
  openUpdate: string;
  resolvedIncident: string;
  token: string;
  deadJob: string;
  subscriber: string;
  webhook: string;
  /** An alert source whose token the examples rotate, and one they revoke. */
  alertSource: string;
  revocableSource: string;
  template: string;
  alertRule: string;
  /** A maintenance that has not started (rescheduled and extended by the examples). */
  maintenance: string;
  /** Maintenances that have not started, taken in turn by the cancel example (each accepted cancel uses one up). */
  cancellable: string[];
  scheduledUpdate: string;
  scheduledOpening: string;
  /** Resolved incidents, taken in turn by the reopen example (each accepted reopen uses one up). */
  reopenable: string[];
  /** Waiting drafts, taken in turn by the publish and discard examples (each accepted one uses one up). */
  publishable: string[];
  discardable: string[];
  /** A commander on the team, signed in once (one live session), with a passkey; and a pending invitation. */
  person: string;
  personSession: string;
  passkey: string;
  invitation: string;
  /** Components in production, taken in turn by the deprecate example (each accepted one uses one up). */
  retiring: string[];
  /** A deprecated component (the undeprecate and sunset examples). */
  deprecated: string;
  /** A production checklist item of the page's own (the defaults stay for the tick examples). */
  checklistItem: string;
  /** A component in development (production asks it for a reason). */
  developing: string;
};
type Example = { path: string; body?: Record<string, unknown> };
type Attempt = {
  method: string;
  path: string;
  as?: Role | null;
  json?: unknown;
  raw?: string | Uint8Array<ArrayBuffer>;
  contentType?: string | null;
};
type Refusal = { what: string; attempt(w: World): Attempt; status: number | number[]; field?: string };

let serial = 0;
let draftSerial = 0;
/** Each stage example moves the other way, so consecutive accepted moves each change something. */
let stageFlip = 0;
/** A request each write route accepts; the corpus bends one thing of it at a time. */
const EXAMPLES: Record<string, (w: World) => Example> = {
  "POST /api/components": (w) => ({
    path: "/api/components",
    // A new name each time, so accepted examples never collide with each other.
    body: { name: `Search ${++serial}`, description: "Full-text search", group_id: w.group, status: "operational" },
  }),
  "POST /api/components/reorder": (w) => ({ path: "/api/components/reorder", body: { ids: [w.website, w.api] } }),
  "PATCH /api/components/{id}": (w) => ({
    path: `/api/components/${w.website}`,
    body: { name: "Marketing site", description: "www and docs" },
  }),
  "DELETE /api/components/{id}": (w) => ({ path: `/api/components/${w.website}` }),
  "POST /api/components/{id}/deprecate": (w) => ({
    path: `/api/components/${w.retiring[++serial % w.retiring.length]}/deprecate`,
    body: { sunset_at: "2027-06-01T00:00:00Z", message: "Move to **API v2**: https://docs.acme.test/migrate" },
  }),
  "POST /api/components/{id}/undeprecate": (w) => ({ path: `/api/components/${w.deprecated}/undeprecate` }),
  "POST /api/components/{id}/sunset": (w) => ({ path: `/api/components/${w.deprecated}/sunset` }),
  "POST /api/incidents": (w) => ({
    path: "/api/incidents",
    body: {
      name: "Slow dashboard",
      status: "investigating",
      body: "We are **looking** into it.",
      components: { [w.website]: "degraded_performance" },
      deliver_notifications: false,
      next_update_in_minutes: 30,
      display_at: "2026-11-26T09:30:00Z",
    },
  }),
  "PATCH /api/incidents/{id}": (w) => ({
    path: `/api/incidents/${w.openIncident}`,
    body: { name: "Elevated errors on the API", impact: "major" },
  }),
  "DELETE /api/incidents/{id}": (w) => ({ path: `/api/incidents/${w.openIncident}` }),
  "PUT /api/incidents/{id}/postmortem": (w) => ({
    path: `/api/incidents/${w.resolvedIncident}/postmortem`,
    body: { body: "## What happened\n\nA disk filled up.", publish: false },
  }),
  "POST /api/incidents/{id}/updates": (w) => ({
    path: `/api/incidents/${w.openIncident}/updates`,
    body: { status: "identified", body: "We found the cause.", components: { [w.api]: "degraded_performance" } },
  }),
  "PATCH /api/incidents/{id}/updates/{updateId}": (w) => ({
    path: `/api/incidents/${w.openIncident}/updates/${w.openUpdate}`,
    body: { body: "We are investigating errors on the API." },
  }),
  "POST /api/incidents/backfill": () => ({
    path: "/api/incidents/backfill",
    body: {
      name: "Search outage of the 20th",
      started_at: "2026-11-20T10:00:00Z",
      resolved_at: "2026-11-20T12:00:00Z",
      updates: [
        { status: "investigating", body: "Search is down.", display_at: "2026-11-20T10:00:00Z" },
        { status: "resolved", body: "Search is back; no data was lost.", display_at: "2026-11-20T12:00:00Z" },
      ],
    },
  }),
  "PATCH /api/scheduled-updates/{updateId}": (w) => ({
    path: `/api/scheduled-updates/${w.scheduledUpdate}`,
    body: { body: "The fix is rolling out.", publish_at: "2026-11-26T12:00:00Z" },
  }),
  "DELETE /api/scheduled-updates/{updateId}": (w) => ({ path: `/api/scheduled-updates/${w.scheduledUpdate}` }),
  "PATCH /api/scheduled-incidents/{openingId}": (w) => ({
    path: `/api/scheduled-incidents/${w.scheduledOpening}`,
    body: { publish_at: "2026-11-26T12:30:00Z" },
  }),
  "DELETE /api/scheduled-incidents/{openingId}": (w) => ({ path: `/api/scheduled-incidents/${w.scheduledOpening}` }),
  "POST /api/incidents/{id}/reschedule": (w) => {
    // A minute later each time, two hours long: a reschedule to the window it already has is refused.
    const start = Date.UTC(2026, 10, 27, 1, ++serial);
    return {
      path: `/api/incidents/${w.maintenance}/reschedule`,
      body: {
        scheduled_for: new Date(start).toISOString(),
        scheduled_until: new Date(start + 2 * 3_600_000).toISOString(),
        body: "Moved by a day.",
      },
    };
  },
  "POST /api/incidents/{id}/extend": (w) => ({
    path: `/api/incidents/${w.maintenance}/extend`,
    // Later each time: an extension must end after the current end.
    body: { scheduled_until: new Date(Date.UTC(2026, 10, 27, 10 + ++serial)).toISOString(), body: "Running long." },
  }),
  "POST /api/incidents/{id}/cancel": (w) => ({
    // Round robin: consecutive accepted cancels never meet the same maintenance twice.
    path: `/api/incidents/${w.cancellable[++serial % w.cancellable.length]}/cancel`,
    body: { body: "Not needed after all." },
  }),
  "POST /api/incidents/{id}/reopen": (w) => ({
    path: `/api/incidents/${w.reopenable[++serial % w.reopenable.length]}/reopen`,
    body: { status: "investigating", body: "The errors are back.", components: { [w.api]: "partial_outage" } },
  }),
  "POST /api/incidents/{id}/commander": (w) => ({
    path: `/api/incidents/${w.openIncident}/commander`,
    body: { person_id: "ann000000001" },
  }),
  "POST /api/incidents/{id}/acknowledge": (w) => ({
    path: `/api/incidents/${w.openIncident}/acknowledge`,
    body: { minutes: 15 },
  }),
  "PUT /api/escalation-policy": () => ({
    path: "/api/escalation-policy",
    body: { levels: [{ delay_minutes: 10, person_ids: [], team_channels: ["team_email"], daytime_only: false }] },
  }),
  "POST /api/alert-drafts/{id}/preview": (w) => ({
    path: `/api/alert-drafts/${w.publishable[0]}/preview`,
    body: { name: "API errors", body: "Looking into it." },
  }),
  "POST /api/alert-drafts/{id}/publish": (w) => ({
    // Its own count: every example used (refused ones too) takes the next draft, and none is taken twice.
    path: `/api/alert-drafts/${w.publishable[++draftSerial % w.publishable.length]}/publish`,
    body: { name: "API errors", body: "Looking into it.", components: { [w.api]: "partial_outage" } },
  }),
  "POST /api/alert-drafts/{id}/discard": (w) => ({
    path: `/api/alert-drafts/${w.discardable[++draftSerial % w.discardable.length]}/discard`,
  }),
  "POST /api/tokens": () => ({ path: "/api/tokens", body: { name: "status bot", role: "viewer" } }),
  "DELETE /api/tokens/{id}": (w) => ({ path: `/api/tokens/${w.token}` }),
  "PATCH /api/tokens/{id}": (w) => ({ path: `/api/tokens/${w.token}`, body: { owner_person_id: null } }),
  "PATCH /api/page": () => ({
    path: "/api/page",
    body: {
      name: "Acme Status",
      time_zone: "Europe/Berlin",
      brand_color: "#0b57d0",
      support_url: "https://acme.test/support",
      default_next_update_minutes: 30,
    },
  }),
  "POST /api/people/invitations": () => ({
    path: "/api/people/invitations",
    body: { email: `invitee+${++serial}@example.com`, role: "viewer" },
  }),
  "DELETE /api/people/invitations/{id}": (w) => ({ path: `/api/people/invitations/${w.invitation}` }),
  "PATCH /api/people/{id}": (w) => ({ path: `/api/people/${w.person}`, body: { role: "viewer" } }),
  "DELETE /api/people/{id}": (w) => ({ path: `/api/people/${w.person}` }),
  "DELETE /api/people/{id}/sessions": (w) => ({ path: `/api/people/${w.person}/sessions` }),
  "DELETE /api/people/{id}/sessions/{session_id}": (w) => ({
    path: `/api/people/${w.person}/sessions/${w.personSession}`,
  }),
  "DELETE /api/people/{id}/passkeys/{passkey_id}": (w) => ({
    path: `/api/people/${w.person}/passkeys/${w.passkey}`,
  }),
  "PATCH /api/sso": () => ({ path: "/api/sso", body: { domains: ["example.com"], default_role: "viewer" } }),
  "POST /api/jobs/{id}/retry": (w) => ({ path: `/api/jobs/${w.deadJob}/retry` }),
  "POST /api/subscribers": (w) => ({
    path: "/api/subscribers",
    body: { address: `ops+${++serial}@example.com`, components: [w.api] },
  }),
  "POST /api/subscribers/import": () => ({
    path: "/api/subscribers/import",
    body: { csv: `address,components\r\nimport+${++serial}@example.com,API\r\n` },
  }),
  "POST /api/subscribers/{id}/quarantine": (w) => ({ path: `/api/subscribers/${w.subscriber}/quarantine` }),
  "POST /api/subscribers/{id}/unquarantine": (w) => ({ path: `/api/subscribers/${w.subscriber}/unquarantine` }),
  "DELETE /api/subscribers/{id}": (w) => ({ path: `/api/subscribers/${w.subscriber}` }),
  "POST /api/webhooks": (w) => ({
    path: "/api/webhooks",
    body: {
      url: `https://hooks.example.com/${++serial}`,
      format: "slack",
      owner_email: "ops@acme.test",
      components: [w.api],
    },
  }),
  "PATCH /api/webhooks/{id}": (w) => ({ path: `/api/webhooks/${w.webhook}`, body: { team: true } }),
  "POST /api/webhooks/{id}/rotate-secret": (w) => ({ path: `/api/webhooks/${w.webhook}/rotate-secret` }),
  "DELETE /api/webhooks/{id}": (w) => ({ path: `/api/webhooks/${w.webhook}` }),
  "POST /api/alert-sources": () => ({
    path: "/api/alert-sources",
    body: { name: `Prometheus ${++serial}`, kind: "alertmanager" },
  }),
  "DELETE /api/alert-sources/{id}": (w) => ({ path: `/api/alert-sources/${w.revocableSource}` }),
  "POST /api/alert-sources/{id}/token": (w) => ({ path: `/api/alert-sources/${w.alertSource}/token` }),
  "POST /api/templates": (w) => ({
    path: "/api/templates",
    body: {
      id: `failover-${++serial}`,
      name: "Database failover",
      kind: "incident",
      status: "identified",
      title: "Failover in {{region}}",
      body: "We are moving {{components}} to {{region}}. Next update by {{next_update_at}}.",
      impact: "major",
      component_status: "degraded_performance",
      components: { [w.database]: "degraded_performance" },
      next_update_in_minutes: 20,
      variables: [{ name: "region", description: "where to", required: true, default: "the standby" }],
    },
  }),
  "PATCH /api/templates/{id}": (w) => ({
    path: `/api/templates/${w.template}`,
    body: { name: "Partial outage (ours)", next_update_in_minutes: 20 },
  }),
  "DELETE /api/templates/{id}": (w) => ({ path: `/api/templates/${w.template}` }),
  "POST /api/templates/{id}/preview": (w) => ({
    path: `/api/templates/${w.template}/preview`,
    body: { variables: { who: "customers in Europe" }, components: { [w.api]: "partial_outage" } },
  }),
  "PATCH /api/components/{id}/inventory": (w) => ({
    path: `/api/components/${w.api}/inventory`,
    body: { owner_team: "Platform team", runbook_url: "https://wiki.example.com/api", uptime_target: "99.9" },
  }),
  "POST /api/components/{id}/stage": (w) => ({
    path: `/api/components/${w.website}/stage`,
    body: { stage: ++stageFlip % 2 === 0 ? "prototype" : "development", reason: "Rebuilt from scratch" },
  }),
  "PUT /api/components/{id}/checklist/{item}": (w) => ({ path: `/api/components/${w.api}/checklist/chk_runbook` }),
  "DELETE /api/components/{id}/checklist/{item}": (w) => ({ path: `/api/components/${w.api}/checklist/chk_runbook` }),
  "POST /api/checklist-items": () => ({ path: "/api/checklist-items", body: { label: `Load tested ${++serial}` } }),
  "PATCH /api/checklist-items/{id}": (w) => ({
    path: `/api/checklist-items/${w.checklistItem}`,
    body: { label: "Error budget agreed", position: 1 },
  }),
  "DELETE /api/checklist-items/{id}": (w) => ({ path: `/api/checklist-items/${w.checklistItem}` }),
  "POST /api/alert-rules": (w) => ({
    path: "/api/alert-rules",
    body: { name: "API errors", matchers: ['service="api"'], component_ids: [w.api], template_id: w.template },
  }),
  "PATCH /api/alert-rules/{id}": (w) => ({
    path: `/api/alert-rules/${w.alertRule}`,
    body: { name: "API errors (edited)", for_seconds: 30 },
  }),
  "DELETE /api/alert-rules/{id}": (w) => ({ path: `/api/alert-rules/${w.alertRule}` }),
  "POST /api/alert-rules/test": (w) => ({
    path: "/api/alert-rules/test",
    body: {
      rule_id: w.alertRule,
      alerts: [
        {
          fingerprint: "errors",
          status: "firing",
          severity: "critical",
          summary: "API error rate above 5%",
          labels: { service: "api" },
          annotations: {},
          url: null,
          startsAt: null,
        },
      ],
    },
  }),
};

/** Routes that write nothing when they accept a request (they answer with what a write would store). */
const WRITES_NOTHING = new Set([
  "POST /api/templates/{id}/preview",
  "POST /api/alert-rules/test",
  "POST /api/alert-drafts/{id}/preview",
]);

/** Lists whose emptiness means "none" (no domain: single sign-on admits only people already on the team). */
const EMPTY_LIST_ALLOWED = new Set(["PATCH /api/sso domains"]);

/** Text fields that are one line (names, and a template's title, which names an incident): they also refuse line breaks, tabs and bidirectional controls. */
const ONE_LINE_FIELDS = new Set(["name", "title", "sender_name", "owner_team", "label"]);
/** Text fields that must show something when given. */
const NON_BLANK: Record<string, string[]> = {
  "PUT /api/incidents/{id}/postmortem": ["body"],
  "POST /api/templates": ["title", "body"],
  "PATCH /api/templates/{id}": ["title", "body"],
  "PATCH /api/page": ["sender_name"],
  "PATCH /api/components/{id}/inventory": ["owner_team"],
  "POST /api/checklist-items": ["label"],
  "PATCH /api/checklist-items/{id}": ["label"],
};
const nonBlank = (key: string, field: string) => field === "name" || (NON_BLANK[key] ?? []).includes(field);

/** Characters no text field stores, with why (the decision is documented in core/text/safe-text.ts). */
const REFUSED_CHARACTERS: [string, string][] = [
  ["a NUL", "\u0000"],
  ["a NUL in the middle", "API\u0000<a title="],
  ["U+0001", "a\u0001b"],
  ["a vertical tab", "a\u000bb"],
  ["a form feed", "a\u000cb"],
  ["an ANSI escape", "\u001b[31mred"],
  ["DEL", "a\u007fb"],
  ["a C1 control (NEL)", "a\u0085b"],
  ["a C1 control (CSI)", "a\u009bb"],
  ["U+FFFE", "a\ufffeb"],
  ["U+FFFF", "\uffff"],
  ["a noncharacter (U+FDD0)", "a\ufdd0b"],
  ["a plane-1 noncharacter (U+1FFFE)", "a\u{1fffe}b"],
  ["a lone high surrogate", "a\ud800b"],
  ["a lone low surrogate", "\udc00"],
];
const REFUSED_IN_ONE_LINE: [string, string][] = [
  ["a line feed", "two\nlines"],
  ["a carriage return", "two\rlines"],
  ["a tab", "a\tb"],
  ["a line separator", "a\u2028b"],
  ["a right-to-left override (U+202E)", "invoice\u202Efdp.exe"],
  ["a left-to-right override (U+202D)", "a\u202Db"],
  ["a right-to-left embedding (U+202B)", "a\u202Bb"],
  ["a bidirectional isolate (U+2067)", "a\u2067b\u2069"],
];
const BLANK: [string, string][] = [
  ["empty", ""],
  ["only spaces", "   "],
  ["only Unicode spaces", "\u00a0\u3000\u2003"],
  ["only zero-width characters", "\u200b\u200d\ufeff"],
];

const deepArray = (depth: number): unknown => {
  let value: unknown = "x";
  for (let i = 0; i < depth; i++) value = [value];
  return value;
};

type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  format?: string;
  maxLength?: number;
  minimum?: number;
  minItems?: number;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema;
};

const routeKey = (route: AdminRoute) => `${route.method.toUpperCase()} ${route.path}`;
const WRITE_ROUTES = ADMIN_ROUTES.filter((route) => route.method !== "get");
const READ_ROUTES_WITH_QUERY = ADMIN_ROUTES.filter(
  (route) => route.method === "get" && routeQueryParameters(route).length > 0,
);

/** The body as documented (the fields the path fills are not sent in it). */
function bodySchema(route: AdminRoute): JsonSchema {
  return routeBodySchema(route) as JsonSchema;
}

/** The non-null shapes a property takes, and whether null is allowed. */
function shapes(schema: JsonSchema): { main: JsonSchema; types: Set<string> } {
  const variants = schema.anyOf ?? [schema];
  const types = new Set(variants.flatMap((v) => (Array.isArray(v.type) ? v.type : v.type ? [v.type] : [])));
  const main = variants.find((v) => v.type !== "null") ?? schema;
  return { main, types };
}

const WRONG_TYPES: [string, unknown][] = [
  ["string", "text"],
  ["integer", 7],
  ["number", 1.5],
  ["boolean", true],
  ["null", null],
  ["object", {}],
  ["array", []],
];

function roleBelow(role: Role): Role {
  return role === "admin" ? "commander" : "viewer";
}

/** The corpus for one write route. */
function refusalsFor(route: AdminRoute): Refusal[] {
  const key = routeKey(route);
  const example = EXAMPLES[key];
  if (!example) return [];
  const method = route.method.toUpperCase();
  // The intake (an alert source's own token) has its own corpus: test/integration/alerts/.
  if (route.role === "automation") return [];
  const as: Role = route.role;
  const withBody = (w: World, change: (body: Record<string, unknown>) => unknown): Attempt => {
    const { path, body } = example(w);
    return { method, path, as, json: change({ ...body }) };
  };
  const withField = (field: string, value: unknown) => (w: World) =>
    withBody(w, (body) => ({ ...body, [field]: value }));
  const refusals: Refusal[] = [
    {
      what: "without a token",
      attempt: (w) => ({ method, path: example(w).path, as: null, json: example(w).body }),
      status: 401,
    },
    // A route any role may call (a preview, which writes nothing) has no role below it.
    ...(as === "viewer"
      ? []
      : [
          {
            what: `with a ${roleBelow(as)} token`,
            attempt: (w: World): Attempt => ({
              method,
              path: example(w).path,
              as: roleBelow(as),
              json: example(w).body,
            }),
            status: 403,
          },
        ]),
  ];
  for (const param of route.path.matchAll(/\{(\w+)\}/g)) {
    const placeholder = param[0];
    for (const [what, id] of [
      ["an unknown id", "zzzzzzzzzzzz"],
      ["a NUL as id", "%00"],
      ["an id of 2,000 characters", "a".repeat(2000)],
      ["a path-traversal id", "..%2F..%2Fetc"],
    ] as const) {
      refusals.push({
        what: `${what} for ${placeholder}`,
        attempt: (w) => {
          const real = example(w).path;
          // Put the bad id where the placeholder sits in the route's path.
          const at = route.path.split("/").indexOf(placeholder);
          const parts = real.split("/");
          parts[at] = id;
          return { method, path: parts.join("/"), as, json: example(w).body };
        },
        status: 404,
      });
    }
  }
  if (!route.body) return refusals;

  const schema = bodySchema(route);
  refusals.push(
    ...(
      [
        ["a JSON array as body", []],
        ["a JSON string as body", "name"],
        ["a JSON number as body", 42],
        ["a JSON null as body", null],
        ["a JSON boolean as body", true],
      ] as const
    ).map(([what, json]): Refusal => ({ what, attempt: (w) => ({ ...withBody(w, () => json) }), status: 422 })),
    {
      what: "malformed JSON",
      attempt: (w) => ({ ...withBody(w, (b) => b), json: undefined, raw: '{"name": "X",' }),
      status: 400,
    },
    { what: "an unknown field", attempt: withField("stauts", "identified"), status: 422, field: "(body)" },
    { what: "a NUL in a JSON key", attempt: withField("name\u0000", "X"), status: 422, field: "(body)" },
    {
      what: "a __proto__ key",
      attempt: (w) => ({
        ...withBody(w, (b) => b),
        json: undefined,
        raw: JSON.stringify(example(w).body).replace(/^\{/, '{"__proto__":{"role":"admin"},'),
      }),
      status: 422,
    },
    { what: "1,000 levels of nesting in an unknown field", attempt: withField("deep", deepArray(1000)), status: 422 },
    {
      what: "100,000 levels of nesting",
      attempt: (w) => ({
        ...withBody(w, (b) => b),
        json: undefined,
        raw: `${"[".repeat(100_000)}${"]".repeat(100_000)}`,
      }),
      status: [400, 422],
    },
    { what: "a body over 256 KiB", attempt: withField("padding", "x".repeat(300 * 1024)), status: 413 },
    ...(
      [
        ["as text/plain", "text/plain"],
        ["as text/plain; charset=utf-8", "text/plain; charset=utf-8"],
        ["as application/x-www-form-urlencoded", "application/x-www-form-urlencoded"],
        ["as multipart/form-data", "multipart/form-data; boundary=x"],
        ["as application/json in Latin-1", "application/json; charset=iso-8859-1"],
        ["as application/jsonx", "application/jsonx"],
        ["without a Content-Type", null],
      ] as const
    ).map(
      ([what, contentType]): Refusal => ({
        what: `the example body sent ${what}`,
        attempt: (w) => ({ ...withBody(w, (b) => b), contentType }),
        status: 415,
      }),
    ),
    ...(
      [
        ["a byte that is never UTF-8 (0xFF)", [0xff]],
        ["a truncated 3-byte sequence", [0xe2, 0x82]],
        ["an overlong encoding of /", [0xc0, 0xaf]],
        ["an encoded surrogate (CESU-8)", [0xed, 0xa0, 0x80]],
        ["a Latin-1 é", [0xe9]],
      ] as const
    ).map(
      ([what, bytes]): Refusal => ({
        what: `invalid UTF-8 in a text value: ${what}`,
        attempt: (w) => {
          // The example's first text value, with the bad bytes in the middle of it.
          const json = JSON.stringify(example(w).body ?? {});
          const at = json.indexOf('":"') + 3;
          const encoder = new TextEncoder();
          const raw = new Uint8Array([
            ...encoder.encode(json.slice(0, at)),
            ...bytes,
            ...encoder.encode(json.slice(at)),
          ]);
          return { ...withBody(w, (b) => b), json: undefined, raw };
        },
        status: 400,
        field: "(body)",
      }),
    ),
  );

  for (const [field, property] of Object.entries(schema.properties ?? {})) {
    const { main, types } = shapes(property);
    const refuse = (what: string, value: unknown, status = 422): Refusal => ({
      what: `${field}: ${what}`,
      attempt: withField(field, value),
      status,
      field,
    });
    for (const [type, value] of WRONG_TYPES) {
      const fits = types.has(type) || (type === "integer" && types.has("number"));
      if (!fits && !(type === "string" && (types.has("string") || main.enum)))
        refusals.push(refuse(`a ${type}`, value));
    }
    refusals.push(refuse("1,000 levels of nesting", deepArray(1000)));
    if (schema.required?.includes(field)) {
      refusals.push({
        what: `${field}: missing`,
        attempt: (w) => withBody(w, ({ [field]: _, ...rest }) => rest),
        status: 422,
        field,
      });
    }
    if (main.type === "integer") {
      refusals.push(
        refuse("a fraction", 1.5),
        refuse("1e20", 1e20),
        refuse("2^53", 2 ** 53),
        refuse("1e308", 1e308),
        refuse("a number string", "1"),
        refuse("NaN as text", "NaN"),
        {
          what: `${field}: 1e400 (Infinity once parsed)`,
          attempt: (w) => ({
            ...withBody(w, (b) => b),
            json: undefined,
            raw: JSON.stringify({ ...example(w).body, [field]: 0 }).replace(`"${field}":0`, `"${field}":1e400`),
          }),
          status: 422,
          field,
        },
      );
      if ((main.minimum ?? -1) >= 0) refusals.push(refuse("a negative number", -1));
    }
    if (main.type === "boolean") refusals.push(refuse('"true" as text', "true"), refuse("1", 1));
    if (main.enum) {
      refusals.push(
        refuse("a value not in the list", "nope"),
        refuse("an empty string", ""),
        refuse("a value in capitals", String(main.enum[0]).toUpperCase()),
        refuse("a value with a NUL", `${String(main.enum[0])}\u0000`),
      );
    }
    if (main.format === "date-time" || main.format === "date") {
      refusals.push(
        refuse("words", "yesterday"),
        refuse("a 13th month", "2026-13-01T00:00:00Z"),
        refuse("February 30th", main.format === "date" ? "2026-02-30" : "2026-02-30T00:00:00Z"),
        refuse("a NUL", "\u0000"),
      );
    }
    if (main.type === "string" && !main.enum && !main.format) {
      // Text, and ids looked up by value: both refuse what no text may hold.
      for (const [what, value] of REFUSED_CHARACTERS) refusals.push(refuse(what, value));
      const isText = main.maxLength !== undefined;
      if (isText && ONE_LINE_FIELDS.has(field))
        for (const [what, value] of REFUSED_IN_ONE_LINE) refusals.push(refuse(what, value));
      // Past 50,000 emoji the body size limit answers first (413), which the case above already shows.
      if (isText && main.maxLength && main.maxLength <= 50_000)
        refusals.push(refuse(`over ${main.maxLength} characters`, "x".repeat(main.maxLength + 1)));
      // Past 50,000 emoji the body size limit answers first (413), which the case above already shows.
      if (isText && main.maxLength && main.maxLength <= 50_000)
        refusals.push(refuse(`${main.maxLength + 1} emoji (each one character)`, "😀".repeat(main.maxLength + 1)));
      if (isText && nonBlank(key, field))
        for (const [what, value] of BLANK) refusals.push(refuse(`blank (${what})`, value));
    }
    if (main.type === "array" && main.items?.type === "object") {
      // A list of declarations (a template's variables), not of ids.
      refusals.push(
        refuse("a list of numbers", [1, 2]),
        refuse("a list of strings", ["x"]),
        refuse("a list of nulls", [null]),
      );
    } else if (main.type === "array") {
      refusals.push(
        ...(EMPTY_LIST_ALLOWED.has(`${key} ${field}`) ? [] : [refuse("an empty list", [])]),
        refuse("a list of numbers", [1, 2]),
        refuse("a list with a NUL id", ["\u0000"]),
        refuse("a list of unknown ids", ["zzzzzzzzzzzz"]),
      );
    }
    if (main.type === "object" && main.additionalProperties) {
      refusals.push(
        refuse("an unknown key", { zzzzzzzzzzzz: main.additionalProperties.enum?.[0] ?? "x" }),
        refuse("a NUL key", { "\u0000": main.additionalProperties.enum?.[0] ?? "x" }),
        refuse("a value of the wrong type", { zzzzzzzzzzzz: 1 }),
      );
      // JSON.parse keeps a "__proto__" key that a map would silently drop; "constructor" would read Object's.
      for (const key of ["__proto__", "constructor", "prototype"]) {
        refusals.push({
          what: `${field}: a "${key}" key`,
          attempt: (w) => {
            const value = JSON.stringify(main.additionalProperties?.enum?.[0] ?? "x");
            const raw = JSON.stringify({ ...example(w).body, [field]: {} }).replace(
              `"${field}":{}`,
              `"${field}":{"${key}":${value}}`,
            );
            return { ...withBody(w, (b) => b), json: undefined, raw };
          },
          status: 422,
          field: `${field}.${key}`,
        });
      }
    }
  }
  return refusals;
}

/** Rules that need state: each is refused with the field it names. */
const RULE_REFUSALS: (Refusal & { route: string })[] = [
  {
    route: "POST /api/incidents/{id}/updates",
    what: "a publish_at in the past",
    attempt: (w) => ({
      method: "POST",
      path: `/api/incidents/${w.openIncident}/updates`,
      json: { body: "Later.", publish_at: "2026-11-26T09:00:00Z" },
    }),
    status: 422,
    field: "publish_at",
  },
  {
    route: "POST /api/incidents/backfill",
    what: "a resolution before the start",
    attempt: () => ({
      method: "POST",
      path: "/api/incidents/backfill",
      json: {
        name: "X",
        started_at: "2026-11-20T12:00:00Z",
        resolved_at: "2026-11-20T10:00:00Z",
        updates: [{ status: "investigating", display_at: "2026-11-20T11:00:00Z" }],
      },
    }),
    status: 422,
    field: "resolved_at",
  },
  {
    route: "POST /api/incidents/backfill",
    what: "a resolution in the future",
    attempt: () => ({
      method: "POST",
      path: "/api/incidents/backfill",
      json: {
        name: "X",
        started_at: "2026-11-20T12:00:00Z",
        resolved_at: "2026-12-20T10:00:00Z",
        updates: [{ status: "investigating", display_at: "2026-11-20T13:00:00Z" }],
      },
    }),
    status: 422,
    field: "resolved_at",
  },
  {
    route: "POST /api/incidents/{id}/extend",
    what: "an end earlier than the current one",
    attempt: (w) => ({
      method: "POST",
      path: `/api/incidents/${w.maintenance}/extend`,
      json: { scheduled_until: "2026-11-27T00:30:00Z" },
    }),
    status: 422,
    field: "scheduled_until",
  },
  {
    route: "POST /api/incidents/{id}/extend",
    what: "an end in year 9999, more than a year after the start",
    attempt: (w) => ({
      method: "POST",
      path: `/api/incidents/${w.maintenance}/extend`,
      json: { scheduled_until: "9999-12-31T23:00:00Z" },
    }),
    status: 422,
    field: "scheduled_until",
  },
  {
    route: "POST /api/incidents/{id}/reschedule",
    what: "a start in 1970",
    attempt: (w) => ({
      method: "POST",
      path: `/api/incidents/${w.maintenance}/reschedule`,
      json: { scheduled_for: "1970-01-01T00:00:00Z" },
    }),
    status: 422,
    field: "scheduled_for",
  },
  {
    route: "POST /api/incidents",
    what: "a maintenance in year 0000",
    attempt: () => ({
      method: "POST",
      path: "/api/incidents",
      json: {
        kind: "maintenance",
        name: "Ancient",
        scheduled_for: "0000-01-01T00:00:00Z",
        scheduled_until: "0000-01-01T02:00:00Z",
      },
    }),
    status: 422,
    field: "scheduled_for",
  },
  {
    route: "PATCH /api/page",
    what: "a logo URL whose host would add a policy directive",
    attempt: () => ({
      method: "PATCH",
      path: "/api/page",
      as: "admin",
      json: { logo_url: "https://evil.example;script-src/x.png" },
    }),
    status: 422,
    field: "logo_url",
  },
  {
    route: "PATCH /api/page",
    what: "a weekly review day without its hour",
    attempt: () => ({ method: "PATCH", path: "/api/page", as: "admin", json: { review_weekday: 1 } }),
    status: 422,
    field: "review_hour",
  },
  {
    route: "PATCH /api/page",
    what: "a favicon URL on a wildcard host",
    attempt: () => ({ method: "PATCH", path: "/api/page", as: "admin", json: { favicon_url: "https://*/f.ico" } }),
    status: 422,
    field: "favicon_url",
  },
  {
    route: "POST /api/incidents",
    what: "a publish_at in the past",
    attempt: () => ({
      method: "POST",
      path: "/api/incidents",
      json: { name: "Later", publish_at: "2026-11-26T09:00:00Z" },
    }),
    status: 422,
    field: "publish_at",
  },
  {
    route: "POST /api/incidents",
    what: "a publish_at on a maintenance",
    attempt: () => ({
      method: "POST",
      path: "/api/incidents",
      json: {
        kind: "maintenance",
        name: "Later",
        scheduled_for: "2026-11-27T00:00:00Z",
        scheduled_until: "2026-11-27T02:00:00Z",
        publish_at: "2026-11-26T12:00:00Z",
      },
    }),
    status: 422,
    field: "publish_at",
  },
  {
    route: "PATCH /api/scheduled-incidents/{openingId}",
    what: "a publish_at in the past",
    attempt: (w) => ({
      method: "PATCH",
      path: `/api/scheduled-incidents/${w.scheduledOpening}`,
      json: { publish_at: "2026-11-26T09:00:00Z" },
    }),
    status: 422,
    field: "publish_at",
  },
  {
    route: "PATCH /api/scheduled-updates/{updateId}",
    what: "a component that does not exist",
    attempt: (w) => ({
      method: "PATCH",
      path: `/api/scheduled-updates/${w.scheduledUpdate}`,
      json: { components: { zzzzzzzzzzzz: "operational" } },
    }),
    status: 422,
    field: "components",
  },
  ...(
    [
      ["not an address", "ops at example.com"],
      ["two @", "a@b@example.com"],
      ["an address of 255 characters", `${"a".repeat(243)}@example.com`],
    ] as const
  ).map(([what, address]): Refusal & { route: string } => ({
    route: "POST /api/subscribers",
    what: `an address that is ${what}`,
    attempt: () => ({ method: "POST", path: "/api/subscribers", json: { address } }),
    status: 422,
    field: "address",
  })),
  {
    route: "POST /api/subscribers",
    what: "an address already subscribed, in other letter case",
    attempt: () => ({ method: "POST", path: "/api/subscribers", json: { address: "Fixture@Example.com" } }),
    status: 409,
    field: "address",
  },
  ...(
    [
      ["a file without an address column", "email,components\nx@example.com,"],
      ["an unclosed quote", 'address\n"x@example.com'],
      ["a quote inside a bare cell", 'address\nx"@example.com'],
      ["text after a closing quote", 'address\n"x@example.com"y'],
      ["an empty file", ""],
    ] as const
  ).map(([what, csv]): Refusal & { route: string } => ({
    route: "POST /api/subscribers/import",
    what: `a malformed file: ${what}`,
    attempt: () => ({ method: "POST", path: "/api/subscribers/import", as: "admin", json: { csv } }),
    status: 422,
    field: "csv",
  })),
  {
    route: "POST /api/incidents",
    what: "neither a name nor a template",
    attempt: () => ({ method: "POST", path: "/api/incidents", json: { status: "investigating" } }),
    status: 422,
    field: "name",
  },
  {
    route: "POST /api/incidents",
    what: "a template without its required variable",
    attempt: () => ({ method: "POST", path: "/api/incidents", json: { template: "investigating" } }),
    status: 422,
    field: "variables.summary",
  },
  {
    route: "POST /api/incidents/{id}/updates",
    what: "a template with an unknown variable",
    attempt: (w) => ({
      method: "POST",
      path: `/api/incidents/${w.openIncident}/updates`,
      json: { template: "identified", variables: { cause: "a disk", casue: "typo" } },
    }),
    status: 422,
    field: "variables.casue",
  },
  {
    route: "POST /api/templates/{id}/preview",
    what: "a value not among a variable's choices",
    attempt: () => ({
      method: "POST",
      path: "/api/templates/resolved/preview",
      json: { variables: { summary: "x", what_happened: "y", data_loss: "maybe" } },
    }),
    status: 422,
    field: "variables.data_loss",
  },
  {
    route: "POST /api/components/{id}/stage",
    what: "production with unticked checklist items and no reason",
    attempt: (w) => ({ method: "POST", path: `/api/components/${w.developing}/stage`, json: { stage: "production" } }),
    status: 422,
    field: "reason",
  },
  {
    route: "POST /api/components/{id}/stage",
    what: "deprecated, which has its own route",
    attempt: (w) => ({ method: "POST", path: `/api/components/${w.website}/stage`, json: { stage: "deprecated" } }),
    status: 422,
    field: "stage",
  },
  {
    route: "PATCH /api/components/{id}/inventory",
    what: "a javascript: link",
    attempt: (w) => ({
      method: "PATCH",
      path: `/api/components/${w.api}/inventory`,
      json: { runbook_url: "javascript:alert(1)" },
    }),
    status: 422,
    field: "runbook_url",
  },
  {
    route: "POST /api/templates",
    what: "a section, which would be logic",
    attempt: () => ({
      method: "POST",
      path: "/api/templates",
      json: { name: "Logic", kind: "incident", status: "identified", title: "X", body: "{{#a}}run{{/a}}" },
    }),
    status: 422,
    field: "body",
  },
  {
    route: "POST /api/templates",
    what: "an id already taken",
    attempt: () => ({
      method: "POST",
      path: "/api/templates",
      json: { id: "resolved", name: "Mine", kind: "incident", status: "resolved", title: "X", body: "Done." },
    }),
    status: 409,
    field: "id",
  },
  {
    route: "POST /api/incidents",
    what: "a reminder on an incident",
    attempt: () => ({ method: "POST", path: "/api/incidents", json: { name: "X", remind_minutes: 30 } }),
    status: 422,
    field: "remind_minutes",
  },
  {
    route: "POST /api/webhooks",
    what: "a loopback URL",
    attempt: () => ({
      method: "POST",
      path: "/api/webhooks",
      as: "admin",
      json: { url: "http://127.0.0.1/hook", owner_email: "ops@acme.test" },
    }),
    status: 422,
    field: "url",
  },
  {
    route: "POST /api/webhooks",
    what: "the cloud metadata address",
    attempt: () => ({
      method: "POST",
      path: "/api/webhooks",
      as: "admin",
      json: { url: "http://169.254.169.254/latest/meta-data", owner_email: "ops@acme.test" },
    }),
    status: 422,
    field: "url",
  },
  {
    route: "POST /api/webhooks",
    what: "an IPv6 loopback URL",
    attempt: () => ({
      method: "POST",
      path: "/api/webhooks",
      as: "admin",
      json: { url: "http://[::1]/hook", owner_email: "ops@acme.test" },
    }),
    status: 422,
    field: "url",
  },
  {
    route: "POST /api/webhooks",
    what: "a URL with credentials",
    attempt: () => ({
      method: "POST",
      path: "/api/webhooks",
      as: "admin",
      json: { url: "http://user:pass@hooks.example.com/", owner_email: "ops@acme.test" },
    }),
    status: 422,
    field: "url",
  },
  {
    route: "POST /api/webhooks",
    what: "a file: URL",
    attempt: () => ({
      method: "POST",
      path: "/api/webhooks",
      as: "admin",
      json: { url: "file:///etc/passwd", owner_email: "ops@acme.test" },
    }),
    status: 422,
    field: "url",
  },
  {
    route: "POST /api/webhooks",
    what: "a gopher: URL",
    attempt: () => ({
      method: "POST",
      path: "/api/webhooks",
      as: "admin",
      json: { url: "gopher://hooks.example.com/", owner_email: "ops@acme.test" },
    }),
    status: 422,
    field: "url",
  },
  {
    route: "POST /api/webhooks",
    what: "an SSH port",
    attempt: () => ({
      method: "POST",
      path: "/api/webhooks",
      as: "admin",
      json: { url: "https://hooks.example.com:22/", owner_email: "ops@acme.test" },
    }),
    status: 422,
    field: "url",
  },
  {
    route: "POST /api/webhooks",
    what: "a URL already subscribed",
    attempt: () => ({
      method: "POST",
      path: "/api/webhooks",
      as: "admin",
      json: { url: "https://hooks.example.com/fixture", owner_email: "ops@acme.test" },
    }),
    status: 422,
    field: "url",
  },
  {
    route: "POST /api/webhooks",
    what: "an owner that is not an email address",
    attempt: () => ({
      method: "POST",
      path: "/api/webhooks",
      as: "admin",
      json: { url: "https://hooks.example.com/x", owner_email: "ops at acme" },
    }),
    status: 422,
    field: "owner_email",
  },
  {
    route: "POST /api/components",
    what: "a top-level name already taken",
    attempt: () => ({ method: "POST", path: "/api/components", json: { name: "API" } }),
    status: 422,
    field: "name",
  },
  {
    route: "POST /api/components",
    what: "a name taken in the group, in other letter case",
    attempt: (w) => ({ method: "POST", path: "/api/components", json: { name: "database", group_id: w.group } }),
    status: 422,
    field: "name",
  },
  {
    route: "POST /api/components",
    what: "a name taken in the group, written decomposed (NFD)",
    attempt: (w) => ({ method: "POST", path: "/api/components", json: { name: "Cafe\u0301", group_id: w.group } }),
    status: 422,
    field: "name",
  },
  {
    route: "POST /api/components",
    what: "a name that is a taken one in Cyrillic look-alikes",
    attempt: () => ({ method: "POST", path: "/api/components", json: { name: "\u0410\u0420\u0406" } }),
    status: 422,
    field: "name",
  },
  {
    route: "POST /api/components",
    what: "a name that is a taken one with a zero-width space inside",
    attempt: () => ({ method: "POST", path: "/api/components", json: { name: "A\u200bPI" } }),
    status: 422,
    field: "name",
  },
  {
    route: "POST /api/components",
    what: "a name that is a taken one in fullwidth letters",
    attempt: () => ({ method: "POST", path: "/api/components", json: { name: "\uff21\uff30\uff29" } }),
    status: 422,
    field: "name",
  },
  {
    route: "POST /api/components",
    what: "a name that is a taken one with a lowercase l for the I",
    attempt: () => ({ method: "POST", path: "/api/components", json: { name: "APl" } }),
    status: 422,
    field: "name",
  },
  {
    route: "POST /api/components",
    what: "a name that is a taken one with a soft hyphen and Cyrillic a",
    attempt: () => ({ method: "POST", path: "/api/components", json: { name: "D\u0430ta\u00adbase" } }),
    status: 422,
    field: "name",
  },
  {
    route: "PATCH /api/components/{id}",
    what: "a rename to a sibling's name in look-alike letters",
    attempt: (w) => ({ method: "PATCH", path: `/api/components/${w.website}`, json: { name: "\u0410P\u0406" } }),
    status: 422,
    field: "name",
  },
  {
    route: "POST /api/components",
    what: "a group with the name of a top-level component",
    attempt: () => ({ method: "POST", path: "/api/components", json: { name: "Website", group: true } }),
    status: 422,
    field: "name",
  },
  {
    route: "PATCH /api/components/{id}",
    what: "a rename to a sibling's name",
    attempt: (w) => ({ method: "PATCH", path: `/api/components/${w.website}`, json: { name: " API " } }),
    status: 422,
    field: "name",
  },
  {
    route: "PATCH /api/components/{id}",
    what: "a move to the top level, where a component has that name",
    attempt: (w) => ({ method: "PATCH", path: `/api/components/${w.database}`, json: { group_id: null } }),
    status: 422,
    field: "name",
  },
  {
    route: "POST /api/components",
    what: "a group inside a group",
    attempt: (w) => ({
      method: "POST",
      path: "/api/components",
      json: { name: "Nested", group: true, group_id: w.group },
    }),
    status: 422,
    field: "group_id",
  },
  {
    route: "PATCH /api/components/{id}",
    what: "a status set on a group",
    attempt: (w) => ({ method: "PATCH", path: `/api/components/${w.group}`, json: { status: "major_outage" } }),
    status: 422,
    field: "status",
  },
  {
    route: "POST /api/incidents",
    what: "a group's status set by an incident",
    attempt: (w) => ({
      method: "POST",
      path: "/api/incidents",
      json: { name: "X", components: { [w.group]: "major_outage" } },
    }),
    status: 422,
  },
  {
    route: "POST /api/incidents",
    what: "a maintenance status on an incident",
    attempt: () => ({ method: "POST", path: "/api/incidents", json: { name: "X", status: "in_progress" } }),
    status: 422,
    field: "status",
  },
  {
    route: "POST /api/incidents",
    what: "a maintenance without a window",
    attempt: () => ({ method: "POST", path: "/api/incidents", json: { name: "X", kind: "maintenance" } }),
    status: 422,
    field: "scheduled_for",
  },
  {
    route: "POST /api/incidents",
    what: "a display time in the future",
    attempt: () => ({
      method: "POST",
      path: "/api/incidents",
      json: { name: "X", display_at: "2030-01-01T00:00:00Z" },
    }),
    status: 422,
    field: "display_at",
  },
];

/** Bad values for each kind of query parameter, read from the route's query declaration. */
function queryRefusals(route: AdminRoute): Refusal[] {
  const refusals: Refusal[] = [];
  for (const parameter of routeQueryParameters(route)) {
    const name = String(parameter.name);
    const schema = parameter.schema as JsonSchema & { maximum?: number };
    const { minimum = 0, maximum = 0 } = schema;
    const values =
      schema.type === "integer"
        ? ["1e20", "1e3", "-1", "1.5", "abc", "0x10", "", " 1", "99999999999999999999", "Infinity", "NaN"].concat(
            [minimum - 1, maximum + 1].map(String),
          )
        : schema.format === "date-time"
          ? ["yesterday", "2026-13-01T00:00:00Z", "", "\u0000"]
          : schema.enum
            ? ["nope", "", "TRUE", "\u0000"]
            : // Free text, such as a filter: only its length is bounded.
              schema.maxLength
              ? ["x".repeat(schema.maxLength + 1)]
              : [];
    for (const value of values) {
      refusals.push({
        what: `?${name}=${JSON.stringify(value)}`,
        attempt: () => ({
          method: "GET",
          path: `${route.path}?${name}=${encodeURIComponent(value)}`,
          as: route.role === "admin" ? "admin" : "commander",
        }),
        status: 422,
        field: name,
      });
    }
  }
  return refusals;
}

/** Text every field must take, and how it is stored (NFC; one-line text trimmed). */
const ACCEPTED_TEXT: [string, string][] = [
  ["4-byte emoji", "🔥 Database 🚀"],
  ["a flag", "🇩🇪 Frankfurt"],
  ["a zero-width-joiner emoji with a skin tone", "👩🏽‍💻 on call"],
  ["Arabic", "خادم قاعدة البيانات"],
  ["Hebrew with right-to-left marks", "שרת \u200F(API)\u200F ראשי"],
  ["Persian with a zero-width non-joiner", "می‌خواهم"],
  // Not "data\u200bbase": a component name that reads as the world's "Database" is refused as a look-alike.
  ["a zero-width space inside a word", "web\u200bhooks"],
  ["a decomposed accent (stored composed)", "Cafe\u0301 API"],
  ["CJK", "数据库 サーバー"],
  ["a script tag", "<script>alert(1)</script>"],
  ["the end of a CDATA section", "]]> <![CDATA[ x"],
  ["ampersands and entities", "R&D &amp; &lt; &#0; &"],
  ["quotes", `"double" 'single' \`back\``],
  ["Markdown-like text", "**bold** _x_ [link](javascript:alert(1)) ![img](x) # not a heading"],
  ["surrounding white space", "  padded  "],
];
const ACCEPTED_MULTILINE: [string, string][] = [
  ["lines, tabs and a CRLF", "line 1\n\nline 2\r\n\tindented"],
  ["a bidirectional isolate around Arabic", "see \u2067عربي\u2069 here"],
];

/** What is stored: NFC; one-line text is trimmed, and an update's Markdown is trimmed by the action. */
function stored(value: string): string {
  return value.normalize("NFC").trim();
}

let api: TestApi;
let world: World;
const IGNORED = [
  // Bookkeeping of who called and when, not a change the request asked for.
  "api_tokens.last_used_at",
  "rate_limits",
];

async function buildWorld(testApi: TestApi): Promise<World> {
  const post = async <T>(path: string, json: unknown) => {
    const response = await testApi.request<T>("POST", path, { json });
    if (response.status !== 201)
      throw new Error(`fixture ${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  };
  const group = await post<V2Component>("/api/components", { name: "Platform", group: true });
  const apiComponent = await post<V2Component>("/api/components", { name: "API" });
  const website = await post<V2Component>("/api/components", { name: "Website" });
  const database = await post<V2Component>("/api/components", { name: "Database", group_id: group.id });
  await post<V2Component>("/api/components", { name: "Café", group_id: group.id });
  await post<V2Component>("/api/components", { name: "Database" });
  const open = await post<AdminIncident>("/api/incidents", {
    name: "Elevated errors",
    body: "We are investigating.",
    components: { [apiComponent.id]: "partial_outage" },
  });
  const resolved = await post<AdminIncident>("/api/incidents", { name: "Slow search" });
  await post(`/api/incidents/${resolved.id}/updates`, { status: "resolved" });
  const token = await testApi.request<{ id: string }>("POST", "/api/tokens", {
    as: "admin",
    json: { name: "ci", role: "viewer" },
  });
  const [dead] = await testApi.db
    .insert(jobs)
    .values({
      id: "deadjob00001",
      kind: "render",
      dedupeKey: "render:dead-fixture",
      state: "dead",
      payload: {},
      runAt: "2026-11-26T09:00:00.000Z",
      attempts: 10,
      lastError: "fixture",
      createdAt: "2026-11-26T09:00:00.000Z",
      diedAt: "2026-11-26T09:10:00.000Z",
    })
    .returning({ id: jobs.id });
  const subscriber = await post<{ id: string }>("/api/subscribers", { address: "fixture@example.com" });
  const webhook = await testApi.request<{ id: string }>("POST", "/api/webhooks", {
    as: "admin",
    json: { url: "https://hooks.example.com/fixture", owner_email: "ops@acme.test" },
  });
  for (const name of ["Fixture source", "Revocable source"]) {
    await testApi.request("POST", "/api/alert-sources", { as: "admin", json: { name, kind: "generic" } });
  }
  await seedStockTemplates(contextFor(testApi.db, testApi.clock));
  const window = { scheduled_for: "2026-11-27T00:00:00Z", scheduled_until: "2026-11-27T02:00:00Z" };
  const maintenance = await post<AdminIncident>("/api/incidents", { kind: "maintenance", name: "Upgrade", ...window });
  const cancellable: string[] = [];
  for (let i = 0; i < 24; i++) {
    cancellable.push(
      (await post<AdminIncident>("/api/incidents", { kind: "maintenance", name: `Patch ${i}`, ...window })).id,
    );
  }
  const reopenable: string[] = [];
  for (let i = 0; i < 24; i++) {
    const incident = await post<AdminIncident>("/api/incidents", { name: `Blip ${i}` });
    await post(`/api/incidents/${incident.id}/updates`, { status: "resolved" });
    reopenable.push(incident.id);
  }
  const drafts = async (count: number) => {
    const made: string[] = [];
    for (let i = 0; i < count; i++) {
      made.push(
        (
          await insertWaitingDraft(testApi.db, testApi.clock.now(), {
            components: { [apiComponent.id]: "partial_outage" },
          })
        ).id,
      );
    }
    return made;
  };
  const publishable = await drafts(200);
  const discardable = await drafts(200);
  const scheduledUpdate = await post<{ id: string }>(`/api/incidents/${open.id}/updates`, {
    body: "A fix is coming.",
    publish_at: "2026-11-26T11:00:00Z",
  });
  const scheduledOpening = await post<{ id: string }>("/api/incidents", {
    name: "Planned failover",
    publish_at: "2026-11-26T12:00:00Z",
  });
  const retiring: string[] = [];
  for (let i = 0; i < 24; i++) retiring.push((await post<V2Component>("/api/components", { name: `Legacy ${i}` })).id);
  const deprecated = await post<V2Component>("/api/components", { name: "Old search" });
  const deprecation = await testApi.request("POST", `/api/components/${deprecated.id}/deprecate`, {
    as: "commander",
    json: { sunset_at: "2027-06-01T00:00:00Z", message: "Use the new search." },
  });
  if (deprecation.status !== 200) throw new Error(`fixture deprecation: ${deprecation.status}`);
  const alertRule = await testApi.request<{ id: string }>("POST", "/api/alert-rules", {
    as: "admin",
    json: { name: "Fixture rule", matchers: ["service=api"], component_ids: [apiComponent.id] },
  });
  await joinTeam(testApi, "ada@example.com", "Ada", "commander");
  const team = await testApi.request<{ people: { id: string }[] }>("GET", "/api/people", { as: "admin" });
  const person = team.body.people[0]?.id ?? "";
  const sessions = await testApi.request<{ sessions: { id: string }[] }>("GET", `/api/people/${person}/sessions`, {
    as: "admin",
  });
  const [passkey] = await testApi.db
    .insert(passkeys)
    .values({
      id: "fixture-passkey",
      personId: person,
      publicKey: "fixture",
      transports: [],
      deviceType: "singleDevice",
      backedUp: false,
      name: "Laptop",
      createdAt: "2026-11-26T09:00:00.000Z",
    })
    .returning({ id: passkeys.id });
  const invitation = await testApi.request<{ id: string }>("POST", "/api/people/invitations", {
    as: "admin",
    json: { email: "pending@example.com", role: "viewer" },
  });
  const checklistItem = await testApi.request<{ id: string }>("POST", "/api/checklist-items", {
    as: "admin",
    json: { label: "Load tested" },
  });
  const developing = await post<V2Component>("/api/components", { name: "Search beta" });
  await testApi.request("POST", `/api/components/${developing.id}/stage`, { json: { stage: "development" } });
  return {
    person,
    personSession: sessions.body.sessions[0]?.id ?? "",
    passkey: passkey?.id ?? "",
    invitation: invitation.body.id,
    developing: developing.id,
    checklistItem: checklistItem.body.id,
    alertRule: alertRule.body.id,
    scheduledOpening: scheduledOpening.id,
    template: "partial-outage",
    maintenance: maintenance.id,
    cancellable,
    reopenable,
    publishable,
    discardable,
    retiring,
    deprecated: deprecated.id,
    scheduledUpdate: scheduledUpdate.id,
    subscriber: subscriber.id,
    webhook: webhook.body.id,
    alertSource: "fixture-source",
    revocableSource: "revocable-source",
    token: token.body.id,
    deadJob: dead?.id ?? "",
    group: group.id,
    api: apiComponent.id,
    website: website.id,
    database: database.id,
    openIncident: open.id,
    openUpdate: open.incident_updates[0]?.id ?? "",
    resolvedIncident: resolved.id,
  };
}

async function send(attempt: Attempt) {
  return api.request<Problem>(attempt.method, attempt.path, {
    as: attempt.as === undefined ? "commander" : attempt.as,
    ...(attempt.raw !== undefined ? { raw: attempt.raw } : attempt.json !== undefined ? { json: attempt.json } : {}),
    ...(attempt.contentType !== undefined ? { contentType: attempt.contentType } : {}),
  });
}

/**
 * The database as a snapshot last read it, and the change count at that moment: a refusal changes nothing, so a
 * test reads the whole database only when the count moved (another test wrote, or the refusal did).
 */
let lastSnapshot: DbSnapshot | undefined;
let lastSnapshotCount = -1;
let changes: ChangeCounter;

async function expectRefusedWithoutChange(refusal: Refusal) {
  const countBefore = await changes.read();
  if (lastSnapshot === undefined || countBefore !== lastSnapshotCount) {
    lastSnapshot = await snapshotDb(api.db, IGNORED);
    lastSnapshotCount = countBefore;
  }
  const before = lastSnapshot;
  const response = await send(refusal.attempt(world));
  const statuses = Array.isArray(refusal.status) ? refusal.status : [refusal.status];
  expect(statuses, JSON.stringify(response.body).slice(0, 300)).toContain(response.status);
  expect(response.headers.get("content-type")).toContain("application/problem+json");
  expect(response.body.status).toBe(response.status);
  expect(response.body.type).toMatch(/^\/problems\//);
  expect(response.body.detail).toBeTruthy();
  if (refusal.field) {
    const field = refusal.field;
    expect(
      response.body.errors?.map((e) => e.path),
      response.body.detail,
    ).toSatisfy((paths: string[] | undefined) =>
      (paths ?? []).some((path) => path === field || path.startsWith(`${field}.`)),
    );
  }
  const countAfter = await changes.read();
  if (countAfter !== countBefore) {
    const after = await snapshotDb(api.db, IGNORED);
    lastSnapshot = after;
    lastSnapshotCount = countAfter;
    expect(diffSnapshots(before, after)).toEqual([]);
  }
}

beforeAll(async () => {
  api = await createTestApi();
  world = await buildWorld(api);
  changes = await installChangeCounter(api.db, IGNORED);
});
afterAll(() => api?.cleanup());

describe("the bad-input corpus", () => {
  it("has a valid example for every write route of the admin API", () => {
    const missing = WRITE_ROUTES.map(routeKey).filter((key) => !EXAMPLES[key]);
    expect(missing, "give these routes an entry in EXAMPLES (bad-input.test.ts)").toEqual([]);
  });

  for (const route of WRITE_ROUTES) {
    describe(`${routeKey(route)} refuses, with problem+json and no row changed,`, () => {
      for (const refusal of sampledOnWorkerd(refusalsFor(route))) {
        it(refusal.what, () => expectRefusedWithoutChange(refusal));
      }
      for (const refusal of RULE_REFUSALS.filter((r) => r.route === routeKey(route))) {
        it(refusal.what, () => expectRefusedWithoutChange(refusal));
      }
    });
  }

  for (const route of READ_ROUTES_WITH_QUERY) {
    describe(`${routeKey(route)} refuses a query parameter out of bounds, changing nothing:`, () => {
      for (const refusal of sampledOnWorkerd(queryRefusals(route))) {
        it(refusal.what, () => expectRefusedWithoutChange(refusal));
      }
    });
  }

  it("takes a JSON body whose Content-Type names the UTF-8 charset, in any spelling", async () => {
    for (const contentType of ["application/json; charset=utf-8", "Application/JSON;charset=UTF-8"]) {
      const response = await api.request("POST", "/api/tokens", {
        as: "admin",
        json: { name: `charset ${++serial}`, role: "viewer" },
        contentType,
      });
      expect(response.status, JSON.stringify(response.body)).toBe(201);
    }
  });

  it("answers unknown API paths with a problem+json 404", async () => {
    for (const [path, as] of [
      ["/api/nothing-here", "commander"],
      ["/api/v2/nothing.json", null],
    ] as const) {
      const response = await api.request<Problem>("GET", path, { as });
      expect(response.status).toBe(404);
      expect(response.headers.get("content-type")).toContain("application/problem+json");
    }
  });
});

describe("legitimate but unusual text", () => {
  for (const route of WRITE_ROUTES) {
    const key = routeKey(route);
    const textFields = Object.entries(bodySchema(route).properties ?? {}).filter(([, p]) => {
      const { main } = shapes(p);
      return main.type === "string" && main.maxLength !== undefined && !main.enum;
    });
    for (const [field, property] of textFields) {
      const max = shapes(property).main.maxLength ?? 0;
      const cases = [
        ...ACCEPTED_TEXT,
        ...(ONE_LINE_FIELDS.has(field) ? [] : ACCEPTED_MULTILINE),
        ["a word as long as allowed", "w".repeat(max)] as [string, string],
        // An emoji counts one character; 100,000 of them would pass the body size limit.
        ["as many 4-byte emoji as characters allowed", "😀".repeat(Math.min(max, 50_000))] as [string, string],
      ];
      for (const [what, value] of cases) {
        it(`${key} accepts ${what} in ${field}, stored NFC-normalized`, async () => {
          const example = EXAMPLES[key]?.(world);
          if (!example) throw new Error(`no example for ${key}`);
          lastSnapshot = undefined;
          const before = await snapshotDb(api.db, IGNORED);
          const response = await api.request(route.method.toUpperCase(), example.path, {
            as: route.role === "admin" ? "admin" : "commander",
            json: { ...example.body, [field]: value },
          });
          expect(response.status, JSON.stringify(response.body).slice(0, 300)).toBeLessThan(300);
          const changed = diffSnapshots(before, await snapshotDb(api.db, IGNORED)).filter(
            (line) => !line.startsWith("audit_log") && !line.startsWith("jobs"),
          );
          const expected = JSON.stringify(stored(value)).slice(1, -1);
          // A deferred run keeps the text inside its JSON `input` column: escaped once more there.
          const inJsonColumn = JSON.stringify(expected).slice(1, -1);
          if (WRITES_NOTHING.has(key)) {
            expect(changed).toEqual([]);
            expect(JSON.stringify(response.body)).toContain(expected);
          } else expect(changed.some((line) => line.includes(expected) || line.includes(inJsonColumn))).toBe(true);
        });
      }
    }
  }
});
