import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tick } from "../../../core/scheduler/tick.ts";
import { createTestApi, type TestApi } from "../../helpers/api.ts";
import { CONSOLE_ORIGIN } from "../../helpers/console-client.ts";
import { contextFor, manualClock } from "../../helpers/database.ts";
import { type Browser, joinTeam, screen } from "../people/people-helpers.ts";

/**
 * The Incident Commander and the escalation in the console (docs/team.md): who commands on the incident
 * screen and the dashboard, "Take command", "Hand over" in one click, "Acknowledge — posting in N minutes",
 * and the running escalation's state; every change through the console's own forms.
 */

let api: TestApi;
const MINUTE = 60_000;

beforeEach(async () => {
  api = await createTestApi(manualClock("2026-03-02T10:00:00.000Z"));
});
afterEach(() => api.cleanup());

async function csrfOf(browser: Browser): Promise<string> {
  const { html } = await screen(api, browser, "/admin");
  return /name="csrf-token" content="([^"]+)"/.exec(html)?.[1] ?? "";
}

async function post(browser: Browser, path: string, fields: Record<string, string>): Promise<Response> {
  return api.app.request(`${CONSOLE_ORIGIN}${path}`, {
    method: "POST",
    headers: { Origin: CONSOLE_ORIGIN, "Content-Type": "application/x-www-form-urlencoded", Cookie: browser.cookie },
    body: new URLSearchParams({ _csrf: await csrfOf(browser), ...fields }),
  });
}

/** The text a reader sees in a screen's main part, tags dropped and spaces folded. */
function text(html: string): string {
  const main = /<main[\s\S]*<\/main>/.exec(html)?.[0] ?? html;
  return main
    .replace(/<[^>]+>/g, " ")
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, " ");
}

async function peopleIds(): Promise<Map<string, string>> {
  const team = await api.request<{ people: { id: string; name: string }[] }>("GET", "/api/people", { as: "viewer" });
  return new Map(team.body.people.map((p) => [p.name, p.id]));
}

/** Ann opens an incident from the console promising the next update in 15 minutes; its id. */
async function annOpens(ann: Browser): Promise<string> {
  const opened = await post(ann, "/admin/incidents/new", {
    name: "Checkout errors",
    status: "investigating",
    body: "Looking into it.",
    impact: "major",
    next_update_in: "15",
  });
  expect(opened.status, await opened.clone().text()).toBe(303);
  return /\/admin\/incidents\/([0-9a-z]+)/.exec(opened.headers.get("Location") ?? "")?.[1] ?? "";
}

describe("the Incident Commander in the console", () => {
  it("names the opener as commander, hands over in one click, and shows the new commander on the dashboard", async () => {
    const ann = await joinTeam(api, "ann@acme.test", "Ann Archer", "commander");
    const bob = await joinTeam(api, "bob@acme.test", "Bob Baker", "commander");
    await joinTeam(api, "vic@acme.test", "Vic Viewer", "viewer");
    const id = await annOpens(ann);
    const ids = await peopleIds();

    const before = text((await screen(api, ann, `/admin/incidents/${id}`)).html);
    expect(before).toContain("Incident Commander Ann Archer · you");
    const { html } = await screen(api, ann, `/admin/incidents/${id}`);
    // Only those who can post are offered: the viewer is not, nor Ann herself.
    expect(/<select id="hand-over-to"[\s\S]*?<\/select>/.exec(html)?.[0]).toMatch(/Bob Baker/);
    expect(/<select id="hand-over-to"[\s\S]*?<\/select>/.exec(html)?.[0]).not.toMatch(/Vic Viewer|Ann Archer/);

    const handed = await post(ann, `/admin/incidents/${id}/commander`, { person_id: ids.get("Bob Baker") ?? "" });
    expect(handed.status).toBe(303);
    expect(handed.headers.get("Location")).toBe(`/admin/incidents/${id}?done=handed-over`);
    expect(text((await screen(api, bob, `/admin/incidents/${id}`)).html)).toContain(
      "Incident Commander Bob Baker · you",
    );
    expect(text((await screen(api, ann, "/admin")).html)).toContain("Commander: Bob Baker");

    const audit = text((await screen(api, ann, "/admin/audit")).html);
    expect(audit).toContain("incident.hand_over");
    expect(audit).toContain("Ann Archer");
  });

  it("an incident a token opened shows 'No commander' and offers 'Take command'", async () => {
    const ann = await joinTeam(api, "ann@acme.test", "Ann Archer", "commander");
    const opened = await api.request<{ id: string }>("POST", "/api/incidents", {
      as: "commander",
      json: { name: "Queue delays", status: "investigating", body: "Looking." },
    });
    const id = opened.body.id;
    expect(text((await screen(api, ann, "/admin")).html)).toContain("No commander");
    expect(text((await screen(api, ann, `/admin/incidents/${id}`)).html)).toContain("No commander");
    expect(
      (await post(ann, `/admin/incidents/${id}/commander`, { person_id: (await peopleIds()).get("Ann Archer") ?? "" }))
        .status,
    ).toBe(303);
    expect(text((await screen(api, ann, `/admin/incidents/${id}`)).html)).toContain("Ann Archer · you");
  });

  it("refuses a hand-over readably and changes nothing: a closed incident (409), a viewer, a stranger", async () => {
    const ann = await joinTeam(api, "ann@acme.test", "Ann Archer", "commander");
    await joinTeam(api, "vic@acme.test", "Vic Viewer", "viewer");
    const id = await annOpens(ann);
    const ids = await peopleIds();

    const toViewer = await post(ann, `/admin/incidents/${id}/commander`, { person_id: ids.get("Vic Viewer") ?? "" });
    expect(toViewer.status).toBe(422);
    expect(text(await toViewer.text())).toContain("Vic Viewer is a viewer and cannot post updates");
    const toNobody = await post(ann, `/admin/incidents/${id}/commander`, { person_id: "nobody000000" });
    expect(toNobody.status).toBe(422);

    await api.request("POST", `/api/incidents/${id}/updates`, {
      as: "commander",
      json: { status: "resolved", body: "Fixed." },
    });
    const closed = await post(ann, `/admin/incidents/${id}/commander`, { person_id: ids.get("Ann Archer") ?? "" });
    expect(closed.status).toBe(409);
    const page = text(await closed.text());
    expect(page).toContain("Nothing was changed.");
    expect(page).toContain("A closed incident has no commander to hand over; reopen it first.");
    const incident = await api.request<{ commander_id: string }>("GET", `/api/incidents/${id}`, { as: "viewer" });
    expect(incident.body.commander_id).toBe(ids.get("Ann Archer"));
  });
});

describe("escalation and acknowledgement in the console", () => {
  it("shows the running escalation by name, marks it on the dashboard, and stops it on 'Acknowledge'", async () => {
    const ann = await joinTeam(api, "ann@acme.test", "Ann Archer", "commander");
    await joinTeam(api, "bob@acme.test", "Bob Baker", "admin");
    const ids = await peopleIds();
    const policy = await api.request("PUT", "/api/escalation-policy", {
      as: "admin",
      json: {
        levels: [
          { delay_minutes: 10, person_ids: [ids.get("Bob Baker")], team_channels: [], daytime_only: false },
          { delay_minutes: 20, person_ids: [], team_channels: ["team_webhooks"], daytime_only: false },
        ],
      },
    });
    expect(policy.status).toBe(200);
    const id = await annOpens(ann);
    const scheduler = contextFor(api.db, api.clock);

    // Not yet due: no acknowledgement offered, nothing escalating.
    expect(text((await screen(api, ann, `/admin/incidents/${id}`)).html)).not.toContain("Acknowledge — posting in");
    api.clock.advance(16 * MINUTE);
    await tick(scheduler);
    api.clock.advance(10 * MINUTE);
    await tick(scheduler);
    api.clock.advance(2 * MINUTE);

    const incident = text((await screen(api, ann, `/admin/incidents/${id}`)).html);
    expect(incident).toContain("Escalating: the promised update is late by 13 min");
    expect(incident).toContain("Told: Ann Archer (commander), Bob Baker (level 1).");
    expect(incident).toMatch(/Next: level 2 at Mar 2, 2026, 10:46 UTC/);
    expect(incident).toContain("Acknowledge — posting in");
    const dashboard = await screen(api, ann, "/admin");
    expect(text(dashboard.html)).toContain("Escalated · level 1 told");
    expect(dashboard.html).toMatch(/<li class="escalated">/);

    const bad = await post(ann, `/admin/incidents/${id}/acknowledge`, { minutes: "0" });
    expect(bad.status).toBe(422);
    expect(text(await bad.text())).toContain("Nothing was changed.");

    const acknowledged = await post(ann, `/admin/incidents/${id}/acknowledge`, { minutes: "15" });
    expect(acknowledged.status).toBe(303);
    const after = text((await screen(api, ann, `/admin/incidents/${id}`)).html);
    expect(after).not.toContain("Escalating");
    expect(after).toContain("Next update due in 15 min");
    expect(text((await screen(api, ann, "/admin")).html)).not.toContain("Escalated");
  });
});
