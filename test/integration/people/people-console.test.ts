import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ActionContext } from "../../../core/actions/context.ts";
import { run } from "../../../core/actions/run.ts";
import { changePersonRole } from "../../../core/people/change-role.ts";
import type { PersonSummary } from "../../../core/people/schemas.ts";
import { createTestApi, type TestApi } from "../../helpers/api.ts";
import { type Browser, cookieOf, joinTeam, postForm, screen } from "./people-helpers.ts";

let api: TestApi;

beforeEach(async () => {
  api = await createTestApi();
});
afterEach(() => api.cleanup());

async function csrfOf(browser: Browser): Promise<string> {
  return /name="csrf-token" content="([^"]+)"/.exec((await screen(api, browser, "/admin")).html)?.[1] ?? "";
}

async function post(browser: Browser, path: string, fields: Record<string, string> = {}) {
  return postForm(api, path, { _csrf: await csrfOf(browser), ...fields }, browser);
}

async function signInWithToken(role: "admin" | "commander"): Promise<Browser> {
  return cookieOf(await postForm(api, "/admin/sign-in", { token: api.tokens[role] }));
}

const people = async () =>
  (await api.request<{ people: PersonSummary[] }>("GET", "/api/people", { as: "admin" })).body.people;

describe("the team page", () => {
  it("offers the first account to the admin token while the team is empty; the session becomes the person's", async () => {
    const browser = await signInWithToken("admin");
    expect((await screen(api, browser, "/admin/team")).html).toContain("Create the first account");
    const created = await post(browser, "/admin/team/first-account", {
      name: "Grace Hopper",
      email: "grace@example.com",
    });
    expect(created.status).toBe(303);
    const team = await screen(api, browser, "/admin/team");
    expect(team.html).not.toContain("Create the first account");
    expect(team.html).toContain('href="/admin/me"');
    expect((await people()).map((p) => [p.name, p.role])).toEqual([["Grace Hopper", "admin"]]);
    const again = await post(await signInWithToken("admin"), "/admin/team/first-account", {
      name: "Two",
      email: "two@example.com",
    });
    expect(again.status).toBe(409);
  });

  it("an admin person invites, changes a role and removes from the console; a commander sees no such forms", async () => {
    const admin = await joinTeam(api, "root@example.com", "Root", "admin");
    expect((await post(admin, "/admin/team/invite", { email: "cy@example.com", role: "viewer" })).status).toBe(303);
    expect((await screen(api, admin, "/admin/team")).html).toContain("cy@example.com");
    const commander = await joinTeam(api, "cmd@example.com", "Cmd", "commander");
    const cmdId = (await people()).find((p) => p.name === "Cmd")?.id ?? "";
    expect((await screen(api, commander, "/admin/team")).html).not.toContain("Invite someone");
    expect((await post(commander, `/admin/team/${cmdId}/role`, { role: "admin" })).status).toBe(403);
    expect((await post(admin, `/admin/team/${cmdId}/role`, { role: "viewer" })).status).toBe(303);
    expect((await post(admin, `/admin/team/${cmdId}/remove`)).status).toBe(303);
    expect((await screen(api, commander, "/admin")).status).toBe(303);
  });

  it("nobody changes their own role", async () => {
    await joinTeam(api, "root@example.com", "Root", "admin");
    const [root] = await people();
    const actor = { id: root?.id ?? "", name: "Root", role: "admin" as const };
    const ctx: ActionContext = { db: api.db, clock: api.clock, actor };
    await expect(run(ctx, changePersonRole, { id: actor.id, role: "viewer" })).rejects.toThrow(/own role/);
  });
});

describe("your settings", () => {
  it("renames you, lists your sessions and signs you out everywhere else", async () => {
    const first = await joinTeam(api, "ada@example.com", "Ada", "commander");
    await postForm(api, "/admin/sign-in/link", { email: "ada@example.com" });
    const { mailedLink } = await import("./people-helpers.ts");
    const token = new URL(await mailedLink(api, "sign-in")).searchParams.get("token") ?? "";
    const second = cookieOf(await postForm(api, "/admin/sign-in/link/use", { token }));
    const settings = await screen(api, first, "/admin/me");
    expect(settings.html).toContain("2 signed in");
    expect((await post(first, "/admin/me/name", { name: "Ada King" })).status).toBe(303);
    expect((await screen(api, second, "/admin")).html).toContain("Ada King");
    expect((await post(first, "/admin/me/name", { name: "bad\u0007name" })).status).toBe(422);
    expect((await post(first, "/admin/me/sign-out-everywhere")).status).toBe(303);
    expect((await screen(api, second, "/admin")).status).toBe(303);
    expect((await screen(api, first, "/admin/me")).html).toContain("1 signed in");
  });
});
