import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SsoSettings } from "../../../core/people/sso/sso-settings.ts";
import { createTestApi, type TestApi } from "../../helpers/api.ts";
import { type Browser, joinTeam, postForm, screen } from "./people-helpers.ts";

/*
 * The Team page's single sign-on card: an admin edits the allowed domains and a new person's role through
 * the same action as PATCH /api/sso. (The provider itself comes from OIDC_*; its journey is sso-journey.)
 */
let api: TestApi;

beforeEach(async () => {
  api = await createTestApi();
});
afterEach(() => api.cleanup());

const settings = async () => (await api.request<SsoSettings>("GET", "/api/sso", { as: "admin" })).body;

async function save(browser: Browser, fields: Record<string, string>) {
  const csrf = /name="csrf-token" content="([^"]+)"/.exec((await screen(api, browser, "/admin/team")).html)?.[1] ?? "";
  return postForm(api, "/admin/team/sso", { _csrf: csrf, ...fields }, browser);
}

describe("the single sign-on card", () => {
  it("an admin sets the allowed domains (one per line or comma-separated) and the default role", async () => {
    const root = await joinTeam(api, "root@example.com", "Root", "admin");
    const team = await screen(api, root, "/admin/team");
    expect(team.html).toContain("Single sign-on");
    expect(team.html).toContain("Not set up: set OIDC_ISSUER");
    const saved = await save(root, { domains: "Example.com\nacme.test, eng.acme.test", default_role: "commander" });
    expect(saved.status).toBe(303);
    expect(await settings()).toEqual({
      domains: ["acme.test", "eng.acme.test", "example.com"],
      default_role: "commander",
    });
    const after = await screen(api, root, "/admin/team?done=sso-saved");
    expect(after.html).toContain("Single sign-on settings saved.");
    expect(after.html).toContain("acme.test\neng.acme.test\nexample.com");
    expect((await save(root, { domains: "", default_role: "viewer" })).status).toBe(303);
    expect(await settings()).toEqual({ domains: [], default_role: "viewer" });
  });

  it("a domain that is not one is refused beside the field, and nothing changes", async () => {
    const root = await joinTeam(api, "root@example.com", "Root", "admin");
    const refused = await save(root, { domains: "example.com\nhttps://evil.test/path", default_role: "admin" });
    expect(refused.status).toBe(422);
    const html = await refused.text();
    expect(html).toContain("Nothing was changed.");
    expect(html).toContain("not a domain, like example.com");
    expect(html).toContain("https://evil.test/path");
    expect(await settings()).toEqual({ domains: [], default_role: "viewer" });
  });

  it("a commander sees no card and cannot change it", async () => {
    await joinTeam(api, "root@example.com", "Root", "admin");
    const cmd = await joinTeam(api, "cmd@example.com", "Cmd", "commander");
    expect((await screen(api, cmd, "/admin/team")).html).not.toContain("Single sign-on");
    expect((await save(cmd, { domains: "example.com", default_role: "admin" })).status).toBe(403);
    expect(await settings()).toEqual({ domains: [], default_role: "viewer" });
  });
});
