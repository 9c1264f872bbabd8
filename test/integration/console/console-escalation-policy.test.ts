import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestApi, type TestApi } from "../../helpers/api.ts";
import { CONSOLE_ORIGIN } from "../../helpers/console-client.ts";
import { manualClock } from "../../helpers/database.ts";
import { type Browser, joinTeam, screen } from "../people/people-helpers.ts";

/**
 * The escalation policy on the console's Team page (docs/team.md, Escalation): an admin adds, reorders and
 * removes levels through the form; everyone else reads it; and the page says who commands which open incident.
 */

let api: TestApi;

beforeEach(async () => {
  api = await createTestApi(manualClock("2026-03-02T10:00:00.000Z"));
});
afterEach(() => api.cleanup());

type Level = { position: number; delay_minutes: number; person_ids: string[]; team_channels: string[] };

async function post(browser: Browser, path: string, fields: Record<string, string>): Promise<Response> {
  const { html } = await screen(api, browser, "/admin/team");
  const csrf = /name="csrf-token" content="([^"]+)"/.exec(html)?.[1] ?? "";
  return api.app.request(`${CONSOLE_ORIGIN}${path}`, {
    method: "POST",
    headers: { Origin: CONSOLE_ORIGIN, "Content-Type": "application/x-www-form-urlencoded", Cookie: browser.cookie },
    body: new URLSearchParams({ _csrf: csrf, ...fields }),
  });
}

async function policy(): Promise<Level[]> {
  return (await api.request<{ levels: Level[] }>("GET", "/api/escalation-policy", { as: "viewer" })).body.levels;
}

function text(html: string): string {
  return (/<main[\s\S]*<\/main>/.exec(html)?.[0] ?? html).replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");
}

describe("the escalation policy on the Team page", () => {
  it("an admin adds levels, moves one up, removes one, and the API reads the same policy", async () => {
    const admin = await joinTeam(api, "ada@acme.test", "Ada Admin", "admin");
    await joinTeam(api, "bob@acme.test", "Bob Baker", "commander");
    const team = await api.request<{ people: { id: string; name: string }[] }>("GET", "/api/people", { as: "viewer" });
    const bob = team.body.people.find((p) => p.name === "Bob Baker")?.id ?? "";

    expect(text((await screen(api, admin, "/admin/team")).html)).toContain("No levels yet");
    const first = await post(admin, "/admin/team/escalation", {
      levels: "0",
      l0_delay: "10",
      l0_team_webhooks: "on",
      l0_daytime: "on",
      _do: "add",
    });
    expect(first.status).toBe(303);
    expect(first.headers.get("Location")).toBe("/admin/team?done=policy-saved");
    const second = await post(admin, "/admin/team/escalation", {
      levels: "1",
      l0_delay: "10",
      l0_team_webhooks: "on",
      l0_daytime: "on",
      l1_delay: "20",
      [`l1_person_${bob}`]: "on",
      l1_team_email: "on",
      _do: "save",
    });
    expect(second.status).toBe(303);
    expect(await policy()).toMatchObject([
      { position: 1, delay_minutes: 10, team_channels: ["team_webhooks"], daytime_only: true },
      { position: 2, delay_minutes: 20, person_ids: [bob], team_channels: ["team_email"], daytime_only: false },
    ]);

    const html = (await screen(api, admin, "/admin/team")).html;
    expect(html).toMatch(new RegExp(`name="l1_person_${bob}" checked`));
    const both = {
      levels: "2",
      l0_delay: "10",
      l0_team_webhooks: "on",
      l1_delay: "20",
      [`l1_person_${bob}`]: "on",
    };
    expect((await post(admin, "/admin/team/escalation", { ...both, _do: "up:1" })).status).toBe(303);
    expect((await policy()).map((l) => l.delay_minutes)).toEqual([20, 10]);
    expect((await post(admin, "/admin/team/escalation", { ...both, _do: "remove:0" })).status).toBe(303);
    expect(await policy()).toMatchObject([{ position: 1, delay_minutes: 20, person_ids: [bob] }]);
  });

  it("refuses a level that tells nobody, shows why, and keeps the stored policy", async () => {
    const admin = await joinTeam(api, "ada@acme.test", "Ada Admin", "admin");
    await post(admin, "/admin/team/escalation", { levels: "0", l0_delay: "10", l0_team_email: "on", _do: "add" });
    const refused = await post(admin, "/admin/team/escalation", {
      levels: "1",
      l0_delay: "10",
      l0_team_email: "on",
      l1_delay: "5",
      _do: "add",
    });
    expect(refused.status).toBe(422);
    const page = text(await refused.text());
    expect(page).toContain("Nothing was changed.");
    expect(page).toContain("names no person and no team channel");
    const badDelay = await post(admin, "/admin/team/escalation", {
      levels: "1",
      l0_delay: "soon",
      l0_team_email: "on",
    });
    expect(badDelay.status).toBe(422);
    expect(await policy()).toMatchObject([{ delay_minutes: 10, team_channels: ["team_email"] }]);
  });

  it("a commander reads the policy and who commands what, but cannot change the policy", async () => {
    const admin = await joinTeam(api, "ada@acme.test", "Ada Admin", "admin");
    const cora = await joinTeam(api, "cora@acme.test", "Cora Commander", "commander");
    await post(admin, "/admin/team/escalation", { levels: "0", l0_delay: "15", l0_team_email: "on", _do: "add" });
    await post(cora, "/admin/incidents/new", { name: "Login failures", status: "investigating", body: "Looking." });

    const page = await screen(api, cora, "/admin/team");
    expect(page.html).not.toContain('action="/admin/team/escalation"');
    const seen = text(page.html);
    expect(seen).toContain("Level 1 after 15 min · the team address");
    expect(seen).toMatch(/Who commands what.*Login failures.*Commander: Cora Commander/);
    const refused = await post(cora, "/admin/team/escalation", { levels: "0", l0_delay: "1", l0_team_email: "on" });
    expect(refused.status).toBe(403);
    expect(await policy()).toMatchObject([{ delay_minutes: 15 }]);
  });
});
