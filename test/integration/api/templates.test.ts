import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Mustache, { type TemplateCache } from "mustache";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Problem } from "../../../api/problem.ts";
import { runUnchecked } from "../../../core/actions/run.ts";
import type { AdminIncident } from "../../../core/incidents/admin-incident.ts";
import type { V2Component } from "../../../core/public/statuspage.ts";
import { createTemplate } from "../../../core/templates/create-template.ts";
import type { TemplatePreview } from "../../../core/templates/preview-template.ts";
import { seedStockTemplates } from "../../../core/templates/seed-stock-templates.ts";
import type { TemplateView } from "../../../core/templates/template-view.ts";
import { page } from "../../../db/schema.ts";
import { createTestApi, type TestApi } from "../../helpers/api.ts";
import { contextFor } from "../../helpers/database.ts";
import { diffSnapshots, snapshotDb } from "../../helpers/db-snapshot.ts";
import { startHeraldProcess } from "../../helpers/herald-process.ts";
import { nodeOnly } from "../../helpers/runtime.ts";

/** Bookkeeping of which token was used when, not a change. */
const IGNORED = ["api_tokens.last_used_at"];

let api: TestApi;
let apiComponent: V2Component;
let dbComponent: V2Component;

/** What `herald start` does on every start. */
const start = () => seedStockTemplates(contextFor(api.db, api.clock));

beforeEach(async () => {
  api = await createTestApi();
  apiComponent = (await api.request<V2Component>("POST", "/api/components", { json: { name: "API" } })).body;
  dbComponent = (await api.request<V2Component>("POST", "/api/components", { json: { name: "Database" } })).body;
  await start();
});
afterEach(() => api.cleanup());

type Audit = { action: string; target_id: string; details: Record<string, unknown> }[];
const audit = async () => (await api.request<Audit>("GET", "/api/audit", { as: "admin" })).body;

const OWN_TEMPLATE = {
  id: "db-failover",
  name: "Database failover",
  kind: "incident",
  status: "identified",
  title: "Database failover in {{region}}",
  body: "We are moving {{components}} to the standby in {{region}}. Next update by {{next_update_at}}.",
  component_status: "degraded_performance",
  next_update_in_minutes: 20,
  variables: [{ name: "region", description: "the region", required: true }],
};

describe("stock templates", () => {
  it("are seeded on first start and listed by the API", async () => {
    const list = await api.request<TemplateView[]>("GET", "/api/templates", { as: "viewer" });
    expect(list.status).toBe(200);
    const ids = list.body.map((t) => t.id);
    for (const id of [
      "investigating",
      "identified",
      "monitoring",
      "resolved",
      "partial-outage",
      "maintenance-scheduled",
    ])
      expect(ids).toContain(id);
    expect(list.body.every((t) => t.source === "stock")).toBe(true);
    expect((await audit()).filter((e) => e.action === "template.seed")).toHaveLength(1);
  });

  it("are never overwritten on a later start, edited or deleted ones alike", async () => {
    const edited = await api.request<TemplateView>("PATCH", "/api/templates/investigating", {
      json: { body: "Our own words. Next update by {{next_update_at}}." },
    });
    expect(edited.status).toBe(200);
    expect((await api.request("DELETE", "/api/templates/security-incident")).status).toBe(204);
    const before = await snapshotDb(api.db);

    expect(await start()).toEqual([]);

    expect(diffSnapshots(before, await snapshotDb(api.db))).toEqual([]);
    const investigating = await api.request<TemplateView>("GET", "/api/templates/investigating");
    expect(investigating.body.body).toBe("Our own words. Next update by {{next_update_at}}.");
    expect((await api.request("GET", "/api/templates/security-incident")).status).toBe(404);
  });
});

nodeOnly("starts the built Node server").describe("the built server", () => {
  it("seeds the stock templates on first start and keeps an edited one on the second", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "herald-templates-"));
    const token = "hrld_templates_test_admin_token_0123456789";
    const call = (url: string, path: string, init: RequestInit = {}) =>
      fetch(`${url}${path}`, {
        ...init,
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      });
    try {
      const first = await startHeraldProcess(dataDir, { HERALD_ADMIN_TOKEN: token });
      const seeded = (await (await call(first.url, "/api/templates")).json()) as TemplateView[];
      const edited = await call(first.url, "/api/templates/resolved", {
        method: "PATCH",
        body: JSON.stringify({ name: "Resolved (our wording)" }),
      });
      await first.stop();

      const second = await startHeraldProcess(dataDir, { HERALD_ADMIN_TOKEN: token });
      const after = (await (await call(second.url, "/api/templates")).json()) as TemplateView[];
      await second.stop();

      expect(seeded.length).toBe(15);
      expect(edited.status).toBe(200);
      expect(after.map((t) => t.id).sort()).toEqual(seeded.map((t) => t.id).sort());
      expect(after.find((t) => t.id === "resolved")?.name).toBe("Resolved (our wording)");
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe("the templates API", () => {
  it("creates, reads, edits and deletes a template, each audited", async () => {
    const created = await api.request<TemplateView>("POST", "/api/templates", { json: OWN_TEMPLATE });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...OWN_TEMPLATE, source: "api", impact: null, components: {} });

    const read = await api.request<TemplateView>("GET", "/api/templates/db-failover", { as: "viewer" });
    expect(read.body).toEqual(created.body);

    api.clock.advance(60_000);
    const edited = await api.request<TemplateView>("PATCH", "/api/templates/db-failover", {
      json: { name: "Database failover (standby)", impact: "major" },
    });
    expect(edited.body).toMatchObject({
      name: "Database failover (standby)",
      impact: "major",
      title: OWN_TEMPLATE.title,
    });
    expect(edited.body.updated_at).not.toBe(created.body.updated_at);

    expect((await api.request("DELETE", "/api/templates/db-failover")).status).toBe(204);
    expect((await api.request("GET", "/api/templates/db-failover")).status).toBe(404);

    const entries = (await audit()).filter((e) => e.target_id === "db-failover").map((e) => e.action);
    expect(entries.sort()).toEqual(["template.create", "template.delete", "template.edit"]);

    // A deleted template's id can be used again.
    expect((await api.request("POST", "/api/templates", { json: OWN_TEMPLATE })).status).toBe(201);
  });

  it("makes the id from the name, and refuses an id that is taken with a 409", async () => {
    const { id: _, ...withoutId } = OWN_TEMPLATE;
    const created = await api.request<TemplateView>("POST", "/api/templates", {
      json: { ...withoutId, name: "Disk full (EU)" },
    });
    expect(created.body.id).toBe("disk-full-eu");
    const again = await api.request<Problem>("POST", "/api/templates", {
      json: { ...OWN_TEMPLATE, id: "partial-outage" },
    });
    expect(again.status).toBe(409);
    expect(again.body.errors?.map((e) => e.path)).toEqual(["id"]);
  });

  it("refuses a template that uses logic or an undeclared name, writing nothing", async () => {
    const before = await snapshotDb(api.db, IGNORED);
    for (const [body, path] of [
      ["{{#region}}x{{/region}}", "body"],
      ["{{{region}}}", "body"],
      ["{{regoin}}", "body"],
    ]) {
      const refused = await api.request<Problem>("POST", "/api/templates", { json: { ...OWN_TEMPLATE, body } });
      expect(refused.status, body).toBe(422);
      expect(refused.body.errors?.map((e) => e.path)).toContain(path);
    }
    const wrongKind = await api.request<Problem>("PATCH", "/api/templates/investigating", {
      json: { status: "completed" },
    });
    expect(wrongKind.status).toBe(422);
    expect(wrongKind.body.errors?.map((e) => e.path)).toEqual(["status"]);
    expect(diffSnapshots(before, await snapshotDb(api.db, IGNORED))).toEqual([]);
  });

  it("lets a viewer read and preview (which writes nothing) but not write", async () => {
    expect((await api.request("GET", "/api/templates", { as: "viewer" })).status).toBe(200);
    expect((await api.request("POST", "/api/templates", { as: "viewer", json: OWN_TEMPLATE })).status).toBe(403);
    const before = await snapshotDb(api.db, IGNORED);
    const preview = await api.request("POST", "/api/templates/resolved/preview", {
      as: "viewer",
      json: {
        variables: { summary: "A bad deploy.", what_happened: "We rolled it back.", data_loss: "no" },
        components: { [apiComponent.id]: "operational" },
      },
    });
    expect(preview.status).toBe(200);
    expect(diffSnapshots(before, await snapshotDb(api.db, IGNORED))).toEqual([]);
  });

  nodeOnly("watches Mustache's cache in the test's own process").it(
    "keeps no copy of the template texts it has checked: a thousand distinct drafts leave Mustache's cache as it was",
    async () => {
      const kept = new Map<string, string>();
      const counting: TemplateCache = {
        set: (key, value) => void kept.set(key, value),
        get: (key) => kept.get(key),
        clear: () => kept.clear(),
      };
      const stock = Mustache.templateCache;
      Mustache.templateCache = counting;
      try {
        for (let i = 0; i < 1000; i++) {
          const body = `Draft ${i}: {{undeclared_${i}}}`;
          const refused = await api.request<Problem>("POST", "/api/templates", { json: { ...OWN_TEMPLATE, body } });
          expect(refused.status).toBe(422);
        }
        const accepted = await api.request("POST", "/api/templates", {
          json: { ...OWN_TEMPLATE, body: "Kept {{region}}." },
        });
        expect(accepted.status).toBe(201);
        expect([...kept.keys()].filter((key) => key.startsWith("Draft ") || key.startsWith("Kept "))).toEqual([]);
      } finally {
        Mustache.templateCache = stock;
      }
    },
  );

  it("lists the template routes in the OpenAPI document", async () => {
    const doc = await api.request<{ paths: Record<string, Record<string, unknown>> }>("GET", "/api/openapi.json");
    expect(Object.keys(doc.body.paths["/api/templates"] ?? {}).sort()).toEqual(["get", "post"]);
    expect(Object.keys(doc.body.paths["/api/templates/{id}"] ?? {}).sort()).toEqual(["delete", "get", "patch"]);
    expect(Object.keys(doc.body.paths["/api/templates/{id}/preview"] ?? {})).toEqual(["post"]);
  });
});

describe("previewing a template", () => {
  it("returns the title, status, components and the exact HTML a post shows, and writes nothing", async () => {
    await api.db.update(page).set({ timeZone: "Europe/Berlin" });
    const before = await snapshotDb(api.db, IGNORED);
    const preview = await api.request<TemplatePreview>("POST", "/api/templates/partial-outage/preview", {
      json: { variables: { who: "customers in [Europe](http://evil)" }, components: [apiComponent.id] },
    });
    expect(preview.status).toBe(200);
    expect(diffSnapshots(before, await snapshotDb(api.db, IGNORED))).toEqual([]);
    expect(preview.body).toMatchObject({
      title: "Partial outage: API",
      status: "investigating",
      impact: "major",
      components: { [apiComponent.id]: "partial_outage" },
      next_update_in_minutes: 30,
    });
    expect(preview.body.body_html).toContain("customers in [Europe](http://evil) may see errors");
    expect(preview.body.body_html).not.toContain("<a");
    // 10:00 UTC + 30 minutes, in the page's time zone.
    expect(preview.body.body_html).toContain("by 11:30 GMT+1");

    const opened = await api.request<AdminIncident>("POST", "/api/incidents", {
      json: {
        template: "partial-outage",
        variables: { who: "customers in [Europe](http://evil)" },
        components: [apiComponent.id],
      },
    });
    expect(opened.body.incident_updates[0]?.body_html).toBe(preview.body.body_html);
  });

  it("of an update, uses the incident's name and components", async () => {
    const opened = await api.request<AdminIncident>("POST", "/api/incidents", {
      json: { name: "Slow API", components: { [apiComponent.id]: "degraded_performance" } },
    });
    const preview = await api.request<TemplatePreview>("POST", "/api/templates/monitoring/preview", {
      json: { incident_id: opened.body.id, variables: { fix: "we added capacity" } },
    });
    expect(preview.status).toBe(200);
    expect(preview.body.title).toBe("Slow API");
    expect(preview.body.body_md).toContain("Things should be back to normal for API.");
  });

  it("refuses a missing required variable, naming it, and writes nothing", async () => {
    const before = await snapshotDb(api.db, IGNORED);
    const refused = await api.request<Problem>("POST", "/api/templates/resolved/preview", {
      json: {
        variables: { summary: "x", what_happened: "a disk filled up" },
        components: { [apiComponent.id]: "operational" },
      },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.errors?.map((e) => e.path)).toEqual(["variables.data_loss"]);
    expect(diffSnapshots(before, await snapshotDb(api.db, IGNORED))).toEqual([]);
  });

  it("refuses a choice named like a property every object has (toString, __proto__, …) with a 422, not a 500", async () => {
    const before = await snapshotDb(api.db, IGNORED);
    for (const word of ["toString", "constructor", "__proto__", "valueOf", "hasOwnProperty", "isPrototypeOf"]) {
      const refused = await api.request<Problem>("POST", "/api/templates/resolved/preview", {
        json: {
          variables: { summary: "x", what_happened: "a disk filled up", data_loss: word },
          components: { [apiComponent.id]: "operational" },
        },
      });
      expect(refused.status, word).toBe(422);
      expect(refused.body.errors?.map((e) => e.path)).toEqual(["variables.data_loss"]);
      expect(refused.body.errors?.[0]?.message).toBe("must be one of no, yes");
    }
    const posted = await api.request<Problem>("POST", "/api/incidents", {
      json: {
        template: "resolved",
        variables: { summary: "x", what_happened: "y", data_loss: "constructor" },
        components: { [apiComponent.id]: "operational" },
      },
    });
    expect(posted.status).toBe(422);
    expect(diffSnapshots(before, await snapshotDb(api.db, IGNORED))).toEqual([]);
  });

  it("treats variables and choices named valueof or tostring as the ordinary names they are", async () => {
    const created = await api.request<TemplateView>("POST", "/api/templates", {
      json: {
        id: "odd-names",
        name: "Odd names",
        kind: "incident",
        status: "investigating",
        title: "Odd",
        body: "Cause: {{valueof}}. {{to_string}}",
        variables: [
          { name: "valueof", description: "left empty" },
          { name: "to_string", choices: { valueof: "Valueof wording.", tostring: "Tostring wording." } },
        ],
      },
    });
    expect(created.status).toBe(201);
    for (const [choice, wording] of [
      ["valueof", "Valueof wording."],
      ["tostring", "Tostring wording."],
    ] as const) {
      const preview = await api.request<TemplatePreview>("POST", "/api/templates/odd-names/preview", {
        json: { variables: { to_string: choice } },
      });
      expect(preview.status, choice).toBe(200);
      expect(preview.body.body_md).toBe(`Cause: . ${wording}`);
    }
    for (const word of ["__proto__", "constructor", "toString"]) {
      const notAChoice = await api.request<Problem>("POST", "/api/templates/odd-names/preview", {
        json: { variables: { to_string: word } },
      });
      expect(notAChoice.status, word).toBe(422);
      expect(notAChoice.body.errors?.[0]?.message).toBe("must be one of valueof, tostring");
    }
  });

  it("refuses a variable or a choice named like an object's machinery (constructor, prototype), however it arrives", async () => {
    const template = (variables: unknown) => ({
      id: "reserved-names",
      name: "Reserved names",
      kind: "incident",
      status: "investigating",
      title: "Reserved",
      body: "{{cause}}",
      variables,
    });
    const byKey = await api.request<Problem>("POST", "/api/templates", {
      json: template([{ name: "cause", choices: { constructor: "Constructor wording." } }]),
    });
    expect(byKey.status).toBe(422);
    expect(byKey.body.errors?.map((e) => e.path)).toEqual(["variables.0.choices.constructor"]);
    // The same rule holds in core, for the console's form and the CLI's files, which never pass the JSON edge.
    const byName = await api.request<Problem>("POST", "/api/templates", {
      json: { ...template([{ name: "prototype" }]), body: "{{prototype}}" },
    });
    expect(byName.status).toBe(422);
    expect(byName.body.errors?.map((e) => e.path)).toEqual(["variables.0.name"]);
    await expect(
      runUnchecked(
        contextFor(api.db, api.clock),
        createTemplate,
        template([{ name: "cause", choices: { prototype: "x" } }]),
      ),
    ).rejects.toMatchObject({ fieldErrors: [{ path: "variables.0.choices.prototype" }] });
  });
});

describe("posting from a template", () => {
  it("opens an incident from the partial outage template in one request", async () => {
    const opened = await api.request<AdminIncident>("POST", "/api/incidents", {
      json: { template: "partial-outage", variables: { symptoms: "failed logins" }, components: [apiComponent.id] },
    });
    expect(opened.status).toBe(201);
    expect(opened.body.name).toBe("Partial outage: API");
    expect(opened.body.status).toBe("investigating");
    expect(opened.body.impact).toBe("major");
    expect(opened.body.incident_updates[0]?.body).toContain("some customers may see failed logins");
    expect(opened.body.incident_updates[0]?.body).toContain("We will post another update by 10:30 UTC.");
    expect(opened.body.incident_updates[0]?.affected_components).toEqual([
      { code: apiComponent.id, name: "API", old_status: "operational", new_status: "partial_outage" },
    ]);
    const summary = await api.request<{ components: V2Component[] }>("GET", "/api/v2/summary.json", { as: null });
    expect(summary.body.components.find((c) => c.id === apiComponent.id)?.status).toBe("partial_outage");
  });

  it("posts an update from a template with the request's own fields overriding it", async () => {
    const opened = await api.request<AdminIncident>("POST", "/api/incidents", {
      json: {
        template: "investigating",
        variables: { summary: "Database errors" },
        components: { [dbComponent.id]: "major_outage" },
      },
    });
    expect(opened.body.name).toBe("Database errors");
    api.clock.advance(10 * 60_000);
    const updated = await api.request<AdminIncident>("POST", `/api/incidents/${opened.body.id}/updates`, {
      json: {
        template: "identified",
        variables: { cause: "a failed disk", action: "replacing the disk" },
        components: { [dbComponent.id]: "partial_outage" },
        next_update_in_minutes: 45,
      },
    });
    expect(updated.status).toBe(201);
    const update = updated.body.incident_updates[0];
    expect(update?.status).toBe("identified");
    expect(update?.body).toBe(
      "We have found the cause: a failed disk.\n\nWe are replacing the disk. Until that is done, Database may still be affected.\n\nWe will post another update by 10:55 UTC.",
    );
    expect(update?.affected_components?.[0]?.new_status).toBe("partial_outage");
  });

  it("resolves with the data-loss wording chosen", async () => {
    const opened = await api.request<AdminIncident>("POST", "/api/incidents", {
      json: { name: "Errors", components: { [apiComponent.id]: "partial_outage" } },
    });
    const resolved = await api.request<AdminIncident>("POST", `/api/incidents/${opened.body.id}/updates`, {
      json: { template: "resolved", variables: { what_happened: "a bad deploy was rolled back", data_loss: "no" } },
    });
    expect(resolved.body.status).toBe("resolved");
    expect(resolved.body.incident_updates[0]?.body).toContain("No customer data was lost.");
    expect(resolved.body.incident_updates[0]?.body).toContain("service is back to normal. Affected: API.");
  });

  it("schedules a maintenance from a template, with its window in the text", async () => {
    const scheduled = await api.request<AdminIncident>("POST", "/api/incidents", {
      json: {
        template: "maintenance-scheduled",
        variables: { work: "Database upgrade" },
        components: [dbComponent.id],
        scheduled_for: "2026-11-27T22:00:00Z",
        scheduled_until: "2026-11-27T23:00:00Z",
      },
    });
    expect(scheduled.status).toBe(201);
    expect(scheduled.body.name).toBe("Database upgrade");
    expect(scheduled.body.status).toBe("scheduled");
    expect(scheduled.body.incident_updates[0]?.body).toContain("on Database from Nov 27, 2026, 22:00 UTC to 23:00 UTC");
  });

  for (const [what, json, path] of [
    ["a missing required variable", { template: "identified", variables: {} }, "variables.cause"],
    ["an unknown variable", { template: "identified", variables: { cause: "x", casue: "y" } }, "variables.casue"],
    ["an unknown template", { template: "no-such-template" }, "template"],
    ["a maintenance template", { template: "maintenance-completed", variables: { work: "x" } }, "template"],
    ["variables without a template", { status: "identified", variables: { cause: "x" } }, "variables"],
  ] as const) {
    it(`refuses ${what} with a 422 naming it, and posts nothing`, async () => {
      const opened = await api.request<AdminIncident>("POST", "/api/incidents", {
        json: { name: "Errors", components: { [apiComponent.id]: "partial_outage" } },
      });
      const before = await snapshotDb(api.db, IGNORED);
      const refused = await api.request<Problem>("POST", `/api/incidents/${opened.body.id}/updates`, { json });
      expect(refused.status).toBe(422);
      expect(refused.body.errors?.map((e) => e.path)).toEqual([path]);
      expect(diffSnapshots(before, await snapshotDb(api.db, IGNORED))).toEqual([]);
    });
  }
});
