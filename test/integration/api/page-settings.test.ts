import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { HtmlValidate } from "html-validate";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Problem } from "../../../api/problem.ts";
import { run } from "../../../core/actions/run.ts";
import type { AuditEntry } from "../../../core/audit/list-audit.ts";
import { loadMailView } from "../../../core/notifications/mail-view.ts";
import { contrastRatio } from "../../../core/page/brand-color.ts";
import { ensurePage } from "../../../core/page/get-page.ts";
import type { PageSettings } from "../../../core/page/page-settings.ts";
import { updatePageSettings } from "../../../core/page/update-page-settings.ts";
import { jobs, page } from "../../../db/schema.ts";
import { openIncidentNow } from "../../helpers/actions.ts";
import { createTestApi, type TestApi } from "../../helpers/api.ts";
import { contextFor, createTestDb, manualClock } from "../../helpers/database.ts";
import { type LiveHerald, startLiveHerald } from "../../helpers/live-herald.ts";
import { mailFixtures } from "../../helpers/mail-fixtures.ts";
import { nodeOnly } from "../../helpers/runtime.ts";

describe("page settings through the API", () => {
  let api: TestApi;
  beforeEach(async () => {
    api = await createTestApi();
  });
  afterEach(() => api.cleanup());

  const fieldsOf = (problem: Problem) => (problem.errors ?? []).map((e) => e.path);

  it("every role reads the settings; only an admin changes them", async () => {
    for (const as of ["viewer", "commander", "admin"] as const) {
      const read = await api.request<PageSettings>("GET", "/api/page", { as });
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ name: "Acme Status", time_zone: "Etc/UTC", brand_color: null });
    }
    for (const as of ["viewer", "commander"] as const) {
      const refused = await api.request("PATCH", "/api/page", { as, json: { name: "Renamed" } });
      expect(refused.status).toBe(403);
    }
    expect((await api.request("PATCH", "/api/page", { as: null, json: { name: "Renamed" } })).status).toBe(401);
    const read = await api.request<PageSettings>("GET", "/api/page", { as: "viewer" });
    expect(read.body.name).toBe("Acme Status");
  });

  it("an admin renames the page and sets its brand: stored normalized, audited, and a full render queued", async () => {
    const changed = await api.request<PageSettings>("PATCH", "/api/page", {
      as: "admin",
      json: {
        name: "  Globex Status ",
        time_zone: "europe/berlin",
        brand_color: "#0B57D0",
        support_url: "mailto:help@globex.test",
        team_email: "Oncall@Globex.test",
        default_next_update_minutes: 30,
        sender_name: "Globex Ops",
        sender_address: "status@globex.test",
        logo_url: "data:image/svg+xml;base64,PHN2Zy8+",
        url: "https://status.globex.test/",
      },
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body).toMatchObject({
      name: "Globex Status",
      time_zone: "Europe/Berlin",
      brand_color: "#0b57d0",
      support_url: "mailto:help@globex.test",
      team_email: "oncall@globex.test",
      default_next_update_minutes: 30,
      url: "https://status.globex.test",
    });
    // The dark scheme gets a shade that reads on the dark background.
    expect(contrastRatio(changed.body.brand_color_dark ?? "", "#161b22")).toBeGreaterThanOrEqual(4.5);

    const audit = await api.request<AuditEntry[]>("GET", "/api/audit", { as: "viewer" });
    const entry = audit.body.find((e) => e.action === "page.update");
    expect(entry?.actor).toContain("admin");
    expect(entry?.details).toMatchObject({ changed: { name: { from: "Acme Status", to: "Globex Status" } } });
    const renders = await api.db.select().from(jobs).where(eq(jobs.kind, "render"));
    expect(renders.map((j) => j.payload)).toContainEqual({ full: true });
  });

  it("a PATCH that changes nothing writes nothing", async () => {
    const before = await api.db.select().from(jobs);
    const same = await api.request<PageSettings>("PATCH", "/api/page", { as: "admin", json: { name: "Acme Status" } });
    expect(same.status).toBe(200);
    expect(await api.db.select().from(jobs)).toEqual(before);
  });

  it("a restart keeps the URL set in the settings, unless PUBLIC_URL is set", async () => {
    await api.request("PATCH", "/api/page", { as: "admin", json: { url: "https://status.globex.test" } });
    const restart = (keepUrl: boolean) =>
      ensurePage(api.db, api.clock, { name: "ignored", url: "http://localhost:8787", keepUrl });
    expect((await restart(true)).page.url).toBe("https://status.globex.test");
    expect((await restart(false)).page.url).toBe("http://localhost:8787");
  });

  it("null clears an optional setting", async () => {
    await api.request("PATCH", "/api/page", { as: "admin", json: { support_url: "https://acme.test/help" } });
    const cleared = await api.request<PageSettings>("PATCH", "/api/page", { as: "admin", json: { support_url: null } });
    expect(cleared.body.support_url).toBeNull();
  });

  it.each([
    ["a time zone that does not exist", { time_zone: "Mars/Olympus" }, "time_zone", /IANA time zone/],
    ["an offset instead of a zone", { time_zone: "+01:00" }, "time_zone", /IANA/],
    ["a brand colour too light to read on white", { brand_color: "#ffcc00" }, "brand_color", /4\.5:1.*#[0-9a-f]{6}/],
    ["a colour name", { brand_color: "blue" }, "brand_color", /hex colour/],
    ["a javascript: logo", { logo_url: "javascript:alert(1)" }, "logo_url", /only https: and http:/],
    [
      "a logo whose host adds a policy directive",
      { logo_url: "https://evil.example;script-src/x.png" },
      "logo_url",
      /not a domain name/,
    ],
    ["a logo on a wildcard host", { logo_url: "https://*/x.png" }, "logo_url", /not a domain name/],
    [
      "a favicon whose host would end a policy source",
      { favicon_url: "https://a'b.example/f.ico" },
      "favicon_url",
      /not a domain name/,
    ],
    ["a data: HTML favicon", { favicon_url: "data:text/html;base64,PHNjcmlwdD4=" }, "favicon_url", /base64/],
    ["a support link with credentials", { support_url: "https://u:p@help.test/" }, "support_url", /password/],
    ["a public URL that is not http", { url: "ftp://status.test" }, "url", /only https: and http:/],
    ["a team email that is not one", { team_email: "oncall" }, "team_email", /email address/],
    ["a cadence of zero minutes", { default_next_update_minutes: 0 }, "default_next_update_minutes", /1/],
    ["a blank name", { name: "  " }, "name", /required/],
    ["a sender name with a line break", { sender_name: "Ops\r\nBcc: x@evil.test" }, "sender_name", /line break/],
  ])("refuses %s with a 422 naming the field", async (_what, json, field, message) => {
    const refused = await api.request<Problem>("PATCH", "/api/page", { as: "admin", json });
    expect(refused.status).toBe(422);
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
    expect(fieldsOf(refused.body)).toContain(field);
    expect(refused.body.errors?.find((e) => e.path === field)?.message).toMatch(message);
  });

  it("is described in the OpenAPI document", async () => {
    const doc = await api.request<{ paths: Record<string, Record<string, { requestBody?: unknown }>> }>(
      "GET",
      "/api/openapi.json",
    );
    expect(Object.keys(doc.body.paths["/api/page"] ?? {}).sort()).toEqual(["get", "patch"]);
    expect(JSON.stringify(doc.body.paths["/api/page"]?.patch?.requestBody)).toContain("brand_color");
  });
});

describe("the public page after a settings change", () => {
  let herald: LiveHerald;
  beforeAll(async () => {
    herald = await startLiveHerald();
    await openIncidentNow(herald.system, {
      name: "Slow logins",
      body: "Looking into it.",
      next_update_in_minutes: 30,
    });
    await herald.settled();
  });
  afterAll(() => herald.close());

  it("shows the new name, logo, brand colour, support link and times in the page's zone, in a new release", async () => {
    const releaseBefore = await herald.liveSite();
    const changed = await herald.request("PATCH", "/api/page", {
      name: "Globex Status",
      time_zone: "America/New_York",
      brand_color: "#8a2be2",
      logo_url: "https://cdn.globex.test/logo.svg",
      support_url: "https://globex.test/support",
    });
    expect(changed.status).toBe(200);
    await herald.settled();
    const release = await herald.liveSite();
    expect(release).not.toBe(releaseBefore);
    const html = await readFile(join(release, "index.html"), "utf8");
    expect(html).toContain("<title>Globex Status</title>");
    expect(html).toContain('src="https://cdn.globex.test/logo.svg"');
    expect(html).toMatch(/img-src 'self' data: https:\/\/cdn\.globex\.test/);
    expect(html).toContain("html:root{--link:#8a2be2}");
    expect(html).toContain('href="https://globex.test/support">Contact support</a>');
    expect(html).toContain("Times are shown in America/New_York time.");
    // 2026-11-26T10:00Z is 05:00 in New York (EST); without JavaScript the page says so.
    expect(html).toMatch(/Nov 26, 2026, 05:00 EST/);
    expect(html).not.toContain("Acme Status");
    const report = await new HtmlValidate({ extends: ["html-validate:standard"] }).validateString(html, "index.html");
    expect(report.results.flatMap((r) => r.messages.map((m) => `${m.ruleId}: ${m.message}`))).toEqual([]);
  });

  it("names in its policy only a parsed image origin, never a stored logo's text", async () => {
    // Values stored before hosts were checked: one adds a directive, one widens img-src to every host.
    await herald.db
      .update(page)
      .set({ logoUrl: "https://evil.example;script-src/x.png", faviconUrl: "https://*/f.ico" });
    expect((await herald.request("PATCH", "/api/page", { name: "Globex Status (old logo)" })).status).toBe(200);
    await herald.settled();
    const html = await readFile(join(await herald.liveSite(), "index.html"), "utf8");
    const policy = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1]?.replaceAll("&#39;", "'");
    expect(policy).toMatch(/img-src 'self' data:; /);
    expect(policy).not.toContain("evil.example");
    expect(policy).not.toContain("*");
  });
});

nodeOnly("reads the mail view in Node, no request to the API").describe("the mail sender", () => {
  it("is the page settings' sender name and address when set, else the page's name and MAIL_FROM", async () => {
    const testDb = await createTestDb();
    try {
      const fixtures = await mailFixtures(testDb.db);
      const ctx = contextFor(testDb.db, manualClock());
      const from = async () =>
        (await loadMailView(testDb.db, fixtures.events["incident.opened"], { mailFrom: "Status <status@acme.test>" }))
          ?.from;
      expect(await from()).toEqual({ name: "Acme Status", address: "status@acme.test" });
      await run(ctx, updatePageSettings, { sender_name: "Acme Ops", sender_address: "Ops@Acme.test" });
      expect(await from()).toEqual({ name: "Acme Ops", address: "ops@acme.test" });
      await run(ctx, updatePageSettings, { sender_name: null, sender_address: null });
      expect(await from()).toEqual({ name: "Acme Status", address: "status@acme.test" });
    } finally {
      await testDb.cleanup();
    }
  });
});
