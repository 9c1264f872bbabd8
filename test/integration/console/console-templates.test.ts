import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../../../api/app.ts";
import { run } from "../../../core/actions/run.ts";
import { createComponent } from "../../../core/components/create-component.ts";
import { listIncidents } from "../../../core/incidents/load-incidents.ts";
import { openIncident } from "../../../core/incidents/open-incident.ts";
import { getPage } from "../../../core/page/get-page.ts";
import { listTemplates } from "../../../core/templates/list-templates.ts";
import { seedStockTemplates } from "../../../core/templates/seed-stock-templates.ts";
import { createToken } from "../../../core/tokens/create-token.ts";
import { contextFor, createTestDb, manualClock, setupPage, type TestDb } from "../../helpers/database.ts";

const ORIGIN = "http://herald.test";

let testDb: TestDb;
let clock: ReturnType<typeof manualClock>;
let app: ReturnType<typeof createApp>;
let apiId: string;

beforeEach(async () => {
  testDb = await createTestDb();
  clock = manualClock();
  await setupPage(testDb.db, clock);
  const system = contextFor(testDb.db, clock);
  await seedStockTemplates(system);
  apiId = (await run(system, createComponent, { name: "API" })).id;
  app = createApp({ db: testDb.db, clock, log: () => {} });
});
afterEach(() => testDb.cleanup());

type Session = { cookie: string; csrf: string };

async function signIn(role: "admin" | "commander" | "viewer"): Promise<Session> {
  const { token } = await run(contextFor(testDb.db, clock), createToken, { name: `${role} one`, role });
  const response = await app.request(`${ORIGIN}/admin/sign-in`, {
    method: "POST",
    headers: { Origin: ORIGIN, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ token }),
  });
  const cookie = (response.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "";
  const dashboard = await app.request(`${ORIGIN}/admin`, { headers: { Cookie: cookie } });
  const csrf = /name="csrf-token" content="([^"]+)"/.exec(await dashboard.text())?.[1] ?? "";
  return { cookie, csrf };
}

const get = (path: string, s: Session) => app.request(`${ORIGIN}${path}`, { headers: { Cookie: s.cookie } });
const post = (path: string, s: Session, fields: Record<string, string>, csrf = true) =>
  app.request(`${ORIGIN}${path}`, {
    method: "POST",
    headers: { Origin: ORIGIN, Cookie: s.cookie, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(csrf ? { _csrf: s.csrf, ...fields } : fields),
  });

describe("console: posting from a template", () => {
  it("choosing a template is a GET that brings its fields, prefilled, and a preview of the text", async () => {
    const s = await signIn("commander");
    const html = await (await get("/admin/incidents/new?template=partial-outage", s)).text();
    expect(html).toContain('name="template" value="partial-outage"');
    expect(html).toMatch(/name="var\.who" value="some customers"/);
    expect(html).toMatch(/<option value="30" selected="">30 min</);
    // The scenario sets the components it names: no preview says "our service" before one is chosen.
    expect(html).not.toContain("our service");
    expect(html).toContain("Choose the affected components to see the preview.");
    expect(html).toContain('data-template-preview="/admin/templates/partial-outage/preview?kind=incident"');
  });

  it("the no-JS Preview renders core's preview and writes nothing; publishing opens the incident from the template", async () => {
    const s = await signIn("commander");
    const fields = {
      template: "partial-outage",
      "var.who": "customers in Europe",
      "var.symptoms": "errors when saving",
      status: "investigating",
      [`component.${apiId}`]: "partial_outage",
      next_update_in: "30",
      impact: "",
      notify_shown: "1",
      name: "",
    };
    const preview = await post("/admin/incidents/new", s, { ...fields, _preview: "1" });
    expect(preview.status).toBe(200);
    const html = await preview.text();
    expect(html).toContain("Partial outage: API");
    expect(html).toContain("Part of API is not working: customers in Europe may see errors when saving.");
    expect(await listIncidents(testDb.db, {})).toHaveLength(0);

    const published = await post("/admin/incidents/new", s, fields);
    expect(published.status).toBe(303);
    const [incident] = await listIncidents(testDb.db, {});
    expect(incident?.name).toBe("Partial outage: API");
    expect(incident?.updates[0]?.bodyMd).toContain("customers in Europe may see errors when saving");
  });

  it("a missing required variable is shown beside its field, and nothing is written", async () => {
    const s = await signIn("commander");
    const opened = await post("/admin/incidents/new", s, {
      name: "Checkout errors",
      body: "Looking.",
      status: "investigating",
      [`component.${apiId}`]: "partial_outage",
    });
    const id = /\/admin\/incidents\/([^?]+)/.exec(opened.headers.get("Location") ?? "")?.[1] ?? "";
    const form = await (await get(`/admin/incidents/${id}?template=resolved`, s)).text();
    expect(form).toContain('name="var.data_loss" value="no"');
    const refused = await post(`/admin/incidents/${id}/updates`, s, {
      template: "resolved",
      "var.what_happened": "a bad deploy was rolled back",
      status: "resolved",
    });
    expect(refused.status).toBe(422);
    const html = await refused.text();
    expect(html).toMatch(/id="update-var-data_loss-error">[^<]+/);
    expect(html).toContain("Variable data_loss");
    const [incident] = await listIncidents(testDb.db, {});
    expect(incident?.updates).toHaveLength(1);

    const posted = await post(`/admin/incidents/${id}/updates`, s, {
      template: "resolved",
      "var.what_happened": "a bad deploy was rolled back",
      "var.data_loss": "no",
      status: "resolved",
    });
    expect(posted.status).toBe(303);
    const [resolved] = await listIncidents(testDb.db, {});
    expect(resolved?.status).toBe("resolved");
    expect(resolved?.updates.map((u) => u.bodyMd).join("\n")).toContain("No customer data was lost.");
  });

  it("the live preview answers the fragment the page will show; it needs the CSRF token", async () => {
    const s = await signIn("commander");
    const fields = { "var.who": "everyone", [`component.${apiId}`]: "partial_outage" };
    const live = await post("/admin/templates/partial-outage/preview?kind=incident", s, fields);
    expect(live.status).toBe(200);
    const fragment = await live.text();
    expect(fragment).not.toContain("<html");
    expect(fragment).toContain("Part of API is not working: everyone may see errors.");
    const forged = await post("/admin/templates/partial-outage/preview?kind=incident", s, fields, false);
    expect(forged.status).toBe(403);
  });

  it("a maintenance's live preview before its window is chosen shows the plan, the window not scheduled yet", async () => {
    const s = await signIn("commander");
    const fields = { "var.work": "Database upgrade", [`component.${apiId}`]: "under_maintenance" };
    const live = await post("/admin/templates/maintenance-scheduled/preview?kind=maintenance", s, fields);
    expect(live.status).toBe(200);
    const fragment = await live.text();
    expect(fragment).toContain("Database upgrade");
    expect(fragment).toContain("from (not scheduled yet) to (not scheduled yet)");
  });

  it("an update's live preview refuses, in words, what posting it would refuse", async () => {
    const s = await signIn("commander");
    const opened = await run(contextFor(testDb.db, clock), openIncident, {
      name: "Slow API",
      status: "resolved",
      components: { [apiId]: "operational" },
    });
    const id = opened.outcome === "opened" ? opened.incident.id : "";
    const fields = { "var.summary": "Better.", "var.fix": "we added capacity" };
    const live = await post(`/admin/templates/monitoring/preview?incident=${id}`, s, fields);
    expect(live.status).toBe(409);
    expect(await live.text()).toContain("reopen it");
  });

  it("maintenance offers only maintenance templates", async () => {
    const s = await signIn("commander");
    const html = await (await get("/admin/maintenance/new", s)).text();
    expect(html).toContain('value="maintenance-scheduled"');
    expect(html).not.toContain('value="partial-outage"');
  });
});

describe("console: templates screen", () => {
  it("lists stock and own templates; a commander creates, edits and deletes one", async () => {
    const s = await signIn("commander");
    const list = await (await get("/admin/templates", s)).text();
    expect(list).toContain("Partial outage");
    expect(list).toContain("Stock");

    const created = await post("/admin/templates/new", s, {
      name: "DB failover",
      kind: "incident",
      status: "identified",
      title: "Database failover",
      body: "We are failing over {{db}}.",
      variables: '[{"name": "db", "required": true}]',
    });
    expect(created.status).toBe(303);
    expect(created.headers.get("Location")).toBe("/admin/templates/db-failover?done=created");
    const edit = await (await get("/admin/templates/db-failover", s)).text();
    expect(edit).toContain("We are failing over [db].");

    const edited = await post("/admin/templates/db-failover", s, {
      name: "DB failover",
      kind: "incident",
      status: "identified",
      title: "Database failover",
      body: "We are failing over {{db}} now.",
      variables: '[{"name": "db", "required": true}]',
    });
    expect(edited.status).toBe(303);
    const ctx = contextFor(testDb.db, clock);
    expect((await run(ctx, listTemplates, {})).find((t) => t.id === "db-failover")?.body).toBe(
      "We are failing over {{db}} now.",
    );

    expect((await post("/admin/templates/db-failover/delete", s, {})).status).toBe(303);
    expect((await run(ctx, listTemplates, {})).some((t) => t.id === "db-failover")).toBe(false);
  });

  it("core's field errors come back beside the field, nothing written", async () => {
    const s = await signIn("commander");
    const refused = await post("/admin/templates/new", s, {
      name: "Broken",
      kind: "incident",
      status: "investigating",
      title: "Broken",
      body: "Uses {{undeclared}}.",
      variables: "not json",
    });
    expect(refused.status).toBe(422);
    const html = await refused.text();
    expect(html).toMatch(/id="t-variables-error">/);
    expect(html).toContain("not json");
    expect((await run(contextFor(testDb.db, clock), listTemplates, {})).some((t) => t.name === "Broken")).toBe(false);
  });

  it("“Preview without saving” shows the form as typed, as the page will, and saves nothing", async () => {
    const s = await signIn("commander");
    const typed = {
      name: "Partial outage",
      kind: "incident",
      status: "identified",
      title: "Partial outage: {{components}}",
      body: "Part of {{components}} is failing **in {{region}}**. <script>alert(1)</script>",
      variables: '[{"name": "region", "default": "Europe"}]',
      [`component.${apiId}`]: "partial_outage",
    };
    const before = (await run(contextFor(testDb.db, clock), listTemplates, {})).find((t) => t.id === "partial-outage");
    const draft = await post("/admin/templates/partial-outage/draft", s, typed);
    const html = await draft.text();
    expect(draft.status).toBe(200);
    expect(html).toContain("As typed, not saved yet");
    expect(html).toContain("Part of API is failing <strong>in Europe</strong>.");
    expect(html).not.toContain("<script>alert(1)</script>");
    // The form keeps what was typed, and the saved template is unchanged.
    expect(html).toContain("{{region}}");
    const after = (await run(contextFor(testDb.db, clock), listTemplates, {})).find((t) => t.id === "partial-outage");
    expect(after).toEqual(before);

    // A new template can be previewed before it exists; a mistake is named and nothing is created.
    const fresh = await post("/admin/templates/new/draft", s, { ...typed, name: "Draft only" });
    expect(fresh.status).toBe(200);
    expect(await fresh.text()).toContain("Part of API is failing <strong>in Europe</strong>.");
    const wrong = await post("/admin/templates/new/draft", s, { ...typed, name: "Draft only", body: "Uses {{nope}}." });
    expect(wrong.status).toBe(422);
    expect(await wrong.text()).toContain("nope");
    expect((await run(contextFor(testDb.db, clock), listTemplates, {})).some((t) => t.name === "Draft only")).toBe(
      false,
    );
    // Without the session's CSRF token it is refused like any form.
    expect((await post("/admin/templates/new/draft", s, typed, false)).status).toBe(403);
  });

  it("a viewer reads templates and can change none", async () => {
    const s = await signIn("viewer");
    const html = await (await get("/admin/templates/resolved", s)).text();
    // Read as text, as the settings screen is: no form, no disabled fields to fill in.
    expect(html).toContain("<dt>Posts the status</dt>");
    expect(html).not.toMatch(/<(input|textarea|select)\b[^>]*name="(name|title|body)"/);
    expect(html).not.toContain("Save template");
    expect(html).not.toContain("Delete template");
    // The preview writes nothing: a viewer sees it, not a refusal.
    expect(html).not.toContain("needs the commander role");
    expect(html).toContain('id="t-preview-h"');
    const refused = await post("/admin/templates/resolved/delete", s, {});
    expect(refused.status).toBe(403);
    expect((await run(contextFor(testDb.db, clock), listTemplates, {})).some((t) => t.id === "resolved")).toBe(true);
  });
});

describe("console: page settings", () => {
  it("an admin renames the page and is told the site re-renders", async () => {
    const s = await signIn("admin");
    const form = await (await get("/admin/settings", s)).text();
    expect(form).toContain('value="Acme Status"');
    const saved = await post("/admin/settings", s, {
      name: "Globex Status",
      url: "https://status.acme.test",
      time_zone: "Europe/Berlin",
      brand_color: "",
      support_url: "mailto:help@acme.test",
      default_next_update_minutes: "45",
    });
    expect(saved.status).toBe(303);
    const after = await (
      await app.request(`${ORIGIN}${saved.headers.get("Location")}`, { headers: { Cookie: s.cookie } })
    ).text();
    expect(after).toContain("re-rendering");
    const page = await getPage(testDb.db);
    expect(page.name).toBe("Globex Status");
    expect(page.timeZone).toBe("Europe/Berlin");
    expect(page.defaultNextUpdateMinutes).toBe(45);
    expect(page.supportUrl).toBe("mailto:help@acme.test");
  });

  it("a brand colour without contrast is refused in words beside the field", async () => {
    const s = await signIn("admin");
    const refused = await post("/admin/settings", s, { name: "Acme Status", brand_color: "#ffcc00" });
    expect(refused.status).toBe(422);
    const html = await refused.text();
    expect(html).toMatch(/id="s-brand_color-error">[^<]*contrast of 1\.\d+:1[^<]*4\.5:1/);
    expect(html).toContain("Brand colour:");
    expect((await getPage(testDb.db)).brandColor).toBeNull();
  });

  it("a commander and a viewer read the settings but cannot change them", async () => {
    for (const role of ["commander", "viewer"] as const) {
      const s = await signIn(role);
      const html = await (await get("/admin/settings", s)).text();
      expect(html).toContain("<dt>Name</dt><dd>Acme Status</dd>");
      expect(html).not.toContain('action="/admin/settings"');
      expect(html).not.toContain("Save settings");
      const refused = await post("/admin/settings", s, { name: "Hijacked" });
      expect(refused.status).toBe(403);
    }
    expect((await getPage(testDb.db)).name).toBe("Acme Status");
  });

  it("a settings post without the CSRF token or from another origin changes nothing", async () => {
    const s = await signIn("admin");
    expect((await post("/admin/settings", s, { name: "No token" }, false)).status).toBe(403);
    const foreign = await app.request(`${ORIGIN}/admin/settings`, {
      method: "POST",
      headers: { Origin: "https://evil.test", Cookie: s.cookie, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ _csrf: s.csrf, name: "Foreign" }),
    });
    expect(foreign.status).toBe(403);
    expect((await getPage(testDb.db)).name).toBe("Acme Status");
  });
});
