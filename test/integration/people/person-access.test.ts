import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AuditEntry } from "../../../core/audit/list-audit.ts";
import type { PersonSession } from "../../../core/people/person-sessions.ts";
import type { PersonSummary } from "../../../core/people/schemas.ts";
import { createTestApi, type TestApi } from "../../helpers/api.ts";
import { type Browser, joinTeam, postForm, screen, signInByLink } from "./people-helpers.ts";

/*
 * Where people are signed in, as an admin sees and ends it (API and the Team page), and as a person ends
 * their own (Your settings). Sessions are read from the database on every request, so an ended one is
 * signed out at its next click. Runs on Node and on the Worker (API_SUITE).
 */
let api: TestApi;

beforeEach(async () => {
  api = await createTestApi();
});
afterEach(() => api.cleanup());

const FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0";
const SAFARI =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
const MINUTE = 60 * 1000;

async function personId(name: string): Promise<string> {
  const team = await api.request<{ people: PersonSummary[] }>("GET", "/api/people", { as: "admin" });
  const found = team.body.people.find((p) => p.name === name);
  if (!found) throw new Error(`${name} is not on the team`);
  return found.id;
}

const sessionsOf = async (id: string) =>
  (await api.request<{ sessions: PersonSession[] }>("GET", `/api/people/${id}/sessions`, { as: "admin" })).body
    .sessions;

const signedIn = async (browser: Browser) => (await screen(api, browser, "/admin")).status === 200;

async function csrfOf(browser: Browser): Promise<string> {
  return /name="csrf-token" content="([^"]+)"/.exec((await screen(api, browser, "/admin")).html)?.[1] ?? "";
}

async function post(browser: Browser, path: string, fields: Record<string, string> = {}) {
  return postForm(api, path, { _csrf: await csrfOf(browser), ...fields }, browser);
}

async function auditActions(): Promise<string[]> {
  const audit = await api.request<AuditEntry[]>("GET", "/api/audit", { as: "admin" });
  return audit.body.map((e) => `${e.action} by ${e.actor.replace(/ \(.*\)$/, "")}`);
}

describe("a person's sessions, for an admin (API)", () => {
  it("lists where a person is signed in: the browser, when they signed in and were last seen, never the cookie", async () => {
    const laptop = await joinTeam(api, "ada@example.com", "Ada", "commander", FIREFOX);
    api.clock.advance(MINUTE);
    await signInByLink(api, "ada@example.com", SAFARI);
    const ada = await personId("Ada");
    const sessions = await sessionsOf(ada);
    expect(sessions.map((s) => s.device)).toEqual(["Safari 17 on iOS", "Firefox 128 on Windows"]);
    expect(sessions[1]).toMatchObject({ user_agent: FIREFOX, last_seen_at: sessions[1]?.created_at });
    const cookieValue = laptop.cookie.split("=")[1] ?? "";
    expect(JSON.stringify(sessions)).not.toContain(cookieValue);

    api.clock.advance(2 * MINUTE);
    await screen(api, laptop, "/admin");
    const early = (await sessionsOf(ada))[1];
    expect(early?.last_seen_at, "noted at most every 5 minutes").toBe(early?.created_at);
    api.clock.advance(4 * MINUTE);
    await screen(api, laptop, "/admin");
    expect((await sessionsOf(ada))[1]?.last_seen_at).toBe(api.clock.now().toISOString());
  });

  it("ends one session: that browser is signed out at its next request, the other stays; audited by name", async () => {
    const laptop = await joinTeam(api, "ada@example.com", "Ada", "commander", FIREFOX);
    const phone = await signInByLink(api, "ada@example.com", SAFARI);
    const ada = await personId("Ada");
    const phoneSession = (await sessionsOf(ada)).find((s) => s.device === "Safari 17 on iOS");
    const ended = await api.request("DELETE", `/api/people/${ada}/sessions/${phoneSession?.id}`, { as: "admin" });
    expect(ended.status).toBe(204);
    expect(await signedIn(phone)).toBe(false);
    expect(await signedIn(laptop)).toBe(true);
    expect((await sessionsOf(ada)).map((s) => s.device)).toEqual(["Firefox 128 on Windows"]);
    const again = await api.request("DELETE", `/api/people/${ada}/sessions/${phoneSession?.id}`, { as: "admin" });
    expect(again.status).toBe(404);
    expect(await auditActions()).toContain("person.end_session by admin");
  });

  it("signs a person out everywhere at once and says how many sessions ended", async () => {
    const laptop = await joinTeam(api, "ada@example.com", "Ada", "commander", FIREFOX);
    const phone = await signInByLink(api, "ada@example.com", SAFARI);
    const ada = await personId("Ada");
    const out = await api.request<{ ended: number }>("DELETE", `/api/people/${ada}/sessions`, { as: "admin" });
    expect(out).toMatchObject({ status: 200, body: { ended: 2 } });
    expect([await signedIn(laptop), await signedIn(phone)]).toEqual([false, false]);
    const none = await api.request<{ ended: number }>("DELETE", `/api/people/${ada}/sessions`, { as: "admin" });
    expect(none.body).toEqual({ ended: 0 });
    expect((await auditActions()).filter((a) => a.startsWith("person.sign_out_everywhere"))).toHaveLength(1);
  });

  it("only an admin sees or ends someone's sessions; an unknown person or session is a 404; nothing changes", async () => {
    const laptop = await joinTeam(api, "ada@example.com", "Ada", "commander", FIREFOX);
    const ada = await personId("Ada");
    const [session] = await sessionsOf(ada);
    for (const [method, path] of [
      ["GET", `/api/people/${ada}/sessions`],
      ["DELETE", `/api/people/${ada}/sessions`],
      ["DELETE", `/api/people/${ada}/sessions/${session?.id}`],
    ] as const) {
      const refused = await api.request(method, path, { as: "commander" });
      expect(refused.status, `${method} ${path}`).toBe(403);
      expect(refused.headers.get("content-type")).toContain("application/problem+json");
    }
    expect((await api.request("GET", "/api/people/nobody/sessions", { as: "admin" })).status).toBe(404);
    expect((await api.request("DELETE", `/api/people/${ada}/sessions/0123456789abcdef`, { as: "admin" })).status).toBe(
      404,
    );
    expect(await signedIn(laptop)).toBe(true);
  });
});

describe("sessions on the console", () => {
  it("an admin sees each person's sessions on the Team page and ends one; the person's browser is signed out", async () => {
    const root = await joinTeam(api, "root@example.com", "Root", "admin", SAFARI);
    const laptop = await joinTeam(api, "ada@example.com", "Ada", "commander", FIREFOX);
    const ada = await personId("Ada");
    const team = await screen(api, root, "/admin/team");
    expect(team.html).toContain("1 session · 0 passkeys");
    expect(team.html).toContain("Firefox 128 on Windows");
    expect(team.html).toContain(`/admin/team/${ada}/sign-out-everywhere`);
    const [session] = await sessionsOf(ada);
    expect((await post(root, `/admin/team/${ada}/sessions/${session?.id}/end`)).status).toBe(303);
    expect(await signedIn(laptop)).toBe(false);
    expect(await signedIn(root)).toBe(true);
  });

  it("a commander sees the team but nobody's sessions, and cannot end them", async () => {
    await joinTeam(api, "root@example.com", "Root", "admin", SAFARI);
    const cmd = await joinTeam(api, "cmd@example.com", "Cmd", "commander", FIREFOX);
    const root = await personId("Root");
    const team = await screen(api, cmd, "/admin/team");
    expect(team.html).toContain("Root");
    expect(team.html).not.toContain("Safari 17 on iOS");
    expect((await post(cmd, `/admin/team/${root}/sign-out-everywhere`)).status).toBe(403);
  });

  it("a person ends one of their own sessions and signs out everywhere else; audited under their name", async () => {
    const laptop = await joinTeam(api, "ada@example.com", "Ada", "commander", FIREFOX);
    api.clock.advance(MINUTE);
    const phone = await signInByLink(api, "ada@example.com", SAFARI);
    api.clock.advance(MINUTE);
    const tablet = await signInByLink(api, "ada@example.com", SAFARI);
    const settings = await screen(api, laptop, "/admin/me");
    expect(settings.html).toContain("this browser");
    expect(settings.html).toContain("Safari 17 on iOS");
    const [newest] = await sessionsOf(await personId("Ada"));
    expect((await post(laptop, `/admin/me/sessions/${newest?.id}/end`)).status).toBe(303);
    expect(await signedIn(tablet)).toBe(false);
    expect(await signedIn(phone)).toBe(true);
    expect((await post(laptop, "/admin/me/sign-out-everywhere")).status).toBe(303);
    expect([await signedIn(laptop), await signedIn(phone)]).toEqual([true, false]);
    expect(await auditActions()).toEqual(
      expect.arrayContaining(["person.end_session by Ada", "person.sign_out_everywhere by Ada"]),
    );
  });

  it("keeps a hostile User-Agent as printable text, cut short", async () => {
    const hostile = `<script>alert(1)</script>\u0007${"x".repeat(1000)}`;
    const root = await joinTeam(api, "root@example.com", "Root", "admin", SAFARI);
    await joinTeam(api, "ada@example.com", "Ada", "commander", hostile.replace("\u0007", ""));
    const [session] = await sessionsOf(await personId("Ada"));
    expect(session?.user_agent?.length).toBe(300);
    expect(session?.device).toBeNull();
    const team = await screen(api, root, "/admin/team");
    expect(team.html).not.toContain("<script>alert(1)");
    expect(team.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });
});
