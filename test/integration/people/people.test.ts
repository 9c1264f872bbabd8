import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AuditEntry } from "../../../core/audit/list-audit.ts";
import type { InvitationSummary, PersonSummary } from "../../../core/people/schemas.ts";
import { createTestApi, type TestApi } from "../../helpers/api.ts";
import { acceptByLink, cookieOf, joinTeam, mailedLink, personMailCount, postForm, screen } from "./people-helpers.ts";

let api: TestApi;

beforeEach(async () => {
  api = await createTestApi();
});
afterEach(() => api.cleanup());

type Team = { people: PersonSummary[]; invitations: InvitationSummary[] };
const team = async () => (await api.request<Team>("GET", "/api/people", { as: "viewer" })).body;
const DAY = 24 * 60 * 60 * 1000;

describe("inviting people", () => {
  it("an invited person accepts the mailed link, is signed in as themselves, and the audit log names them", async () => {
    const browser = await joinTeam(api, "Ada@Example.com ", "Ada Lovelace", "commander");
    const dashboard = await screen(api, browser, "/admin");
    expect(dashboard.status).toBe(200);
    expect(dashboard.html).toContain("Ada Lovelace");
    const { people, invitations } = await team();
    expect(people).toEqual([
      expect.objectContaining({ name: "Ada Lovelace", email: "ada@example.com", role: "commander" }),
    ]);
    expect(invitations).toEqual([]);
    const audit = await api.request<{ entries: AuditEntry[] } | AuditEntry[]>("GET", "/api/audit", { as: "admin" });
    expect(JSON.stringify(audit.body)).toContain(`Ada Lovelace (${people[0]?.id})`);
  });

  it("an invitation link works once", async () => {
    await api.request("POST", "/api/people/invitations", {
      as: "admin",
      json: { email: "b@example.com", role: "viewer" },
    });
    const link = await mailedLink(api, "invitation");
    expect((await acceptByLink(api, link, "Bea")).status).toBe(303);
    const token = new URL(link).searchParams.get("token") ?? "";
    const again = await postForm(api, "/admin/invitation", { token, name: "Mallory" });
    expect(again.status).toBe(422);
    expect(await again.text()).toContain("not valid");
    expect((await team()).people.map((p) => p.name)).toEqual(["Bea"]);
  });

  it("an invitation link expires after 7 days, and a withdrawn one stops working at once", async () => {
    await api.request("POST", "/api/people/invitations", {
      as: "admin",
      json: { email: "late@example.com", role: "viewer" },
    });
    const late = await mailedLink(api, "invitation");
    api.clock.advance(7 * DAY + 1000);
    expect((await api.app.request(late)).status).toBe(400);
    const invited = await api.request<InvitationSummary>("POST", "/api/people/invitations", {
      as: "admin",
      json: { email: "gone@example.com", role: "viewer" },
    });
    const withdrawn = await mailedLink(api, "invitation");
    expect((await api.request("DELETE", `/api/people/invitations/${invited.body.id}`, { as: "admin" })).status).toBe(
      204,
    );
    const token = new URL(withdrawn).searchParams.get("token") ?? "";
    expect((await postForm(api, "/admin/invitation", { token, name: "Gone" })).status).toBe(422);
    expect((await team()).people).toEqual([]);
  });

  it("only an admin invites; a member is not invited twice; a bad address changes nothing", async () => {
    const asCommander = await api.request("POST", "/api/people/invitations", {
      as: "commander",
      json: { email: "x@example.com", role: "admin" },
    });
    expect(asCommander.status).toBe(403);
    await joinTeam(api, "ada@example.com", "Ada", "viewer");
    const twice = await api.request("POST", "/api/people/invitations", {
      as: "admin",
      json: { email: "ADA@example.com", role: "viewer" },
    });
    expect(twice.status).toBe(409);
    const bad = await api.request("POST", "/api/people/invitations", {
      as: "admin",
      json: { email: "not an address", role: "viewer" },
    });
    expect(bad.status).toBe(422);
    expect(bad.headers.get("Content-Type")).toContain("application/problem+json");
    expect(await personMailCount(api)).toBe(1);
  });
});

describe("the emailed sign-in link", () => {
  it("answers the same whether or not the address has an account, and mails only a member", async () => {
    await joinTeam(api, "ada@example.com", "Ada", "viewer");
    const before = await personMailCount(api);
    const stranger = await postForm(api, "/admin/sign-in/link", { email: "nobody@example.com" });
    const member = await postForm(api, "/admin/sign-in/link", { email: "Ada@example.com" });
    expect(stranger.status).toBe(member.status);
    expect(await stranger.text()).toBe(await member.text());
    expect(await personMailCount(api)).toBe(before + 1);
  });

  it("signs in once, as the person; a used or 15-minute-old link does not", async () => {
    await joinTeam(api, "ada@example.com", "Ada Lovelace", "commander");
    await postForm(api, "/admin/sign-in/link", { email: "ada@example.com" });
    const link = await mailedLink(api, "sign-in");
    const token = new URL(link).searchParams.get("token") ?? "";
    expect((await api.app.request(link)).status).toBe(200); // opening it (a mail scanner) spends nothing
    const used = await postForm(api, "/admin/sign-in/link/use", { token });
    expect(used.status).toBe(303);
    expect((await screen(api, cookieOf(used), "/admin")).html).toContain("Ada Lovelace");
    expect((await postForm(api, "/admin/sign-in/link/use", { token })).status).toBe(400);

    await postForm(api, "/admin/sign-in/link", { email: "ada@example.com" });
    const stale = new URL(await mailedLink(api, "sign-in")).searchParams.get("token") ?? "";
    api.clock.advance(15 * 60 * 1000 + 1);
    expect((await postForm(api, "/admin/sign-in/link/use", { token: stale })).status).toBe(400);
  });

  it("mails at most 5 links an hour to one address, answering the same", async () => {
    await joinTeam(api, "ada@example.com", "Ada", "viewer");
    const before = await personMailCount(api);
    const answers = new Set<string>();
    for (let i = 0; i < 7; i++)
      answers.add(await (await postForm(api, "/admin/sign-in/link", { email: "ada@example.com" })).text());
    expect(answers.size).toBe(1);
    expect(await personMailCount(api)).toBe(before + 5);
  });
});

describe("roles and removal", () => {
  it("an admin changes a role; the last admin is neither demoted nor removed", async () => {
    await joinTeam(api, "root@example.com", "Root", "admin");
    const { people } = await team();
    const root = people[0]?.id ?? "";
    const demote = await api.request("PATCH", `/api/people/${root}`, { as: "admin", json: { role: "viewer" } });
    expect(demote.status).toBe(409);
    expect((await api.request("DELETE", `/api/people/${root}`, { as: "admin" })).status).toBe(409);
    await joinTeam(api, "bob@example.com", "Bob", "viewer");
    const bob = (await team()).people.find((p) => p.name === "Bob")?.id ?? "";
    const promoted = await api.request<PersonSummary>("PATCH", `/api/people/${bob}`, {
      as: "admin",
      json: { role: "admin" },
    });
    expect(promoted.status).toBe(200);
    expect(promoted.body.role).toBe("admin");
    expect((await api.request("PATCH", `/api/people/${root}`, { as: "admin", json: { role: "viewer" } })).status).toBe(
      200,
    );
    expect(
      (await api.request("PATCH", `/api/people/${bob}`, { as: "commander", json: { role: "viewer" } })).status,
    ).toBe(403);
  });

  it("removing a person ends their console sessions at once", async () => {
    const browser = await joinTeam(api, "eve@example.com", "Eve", "commander");
    expect((await screen(api, browser, "/admin")).status).toBe(200);
    const eve = (await team()).people[0]?.id ?? "";
    expect((await api.request("DELETE", `/api/people/${eve}`, { as: "admin" })).status).toBe(204);
    const after = await screen(api, browser, "/admin");
    expect(after.status).toBe(303);
    expect((await team()).people).toEqual([]);
    await postForm(api, "/admin/sign-in/link", { email: "eve@example.com" });
    expect(await personMailCount(api)).toBe(1); // only the invitation: a removed person gets no sign-in link
  });
});
