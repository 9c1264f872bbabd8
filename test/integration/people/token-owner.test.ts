import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { PersonSummary } from "../../../core/people/schemas.ts";
import type { TokenSummary } from "../../../core/tokens/list-tokens.ts";
import { createTestApi, type TestApi } from "../../helpers/api.ts";
import { type Browser, joinTeam, postForm, screen } from "./people-helpers.ts";

/**
 * API tokens stay, for machines and scripts, owned by a person or a named integration (issue 23; docs/team.md,
 * People and roles): a token a signed-in person creates is theirs; removing them keeps it working, shown as
 * "owner removed", until an admin re-owns it.
 */

let api: TestApi;

beforeEach(async () => {
  api = await createTestApi();
});
afterEach(() => api.cleanup());

async function post(browser: Browser, path: string, fields: Record<string, string>) {
  const csrf = /name="csrf-token" content="([^"]+)"/.exec((await screen(api, browser, "/admin")).html)?.[1] ?? "";
  return postForm(api, path, { _csrf: csrf, ...fields }, browser);
}

const tokens = async () => (await api.request<TokenSummary[]>("GET", "/api/tokens", { as: "admin" })).body;
const personId = async (email: string) =>
  (await api.request<{ people: PersonSummary[] }>("GET", "/api/people", { as: "admin" })).body.people.find(
    (p) => p.email === email,
  )?.id ?? "";

describe("a token's owner", () => {
  it("is the person who created it signed in; a token's token is an integration", async () => {
    const ivy = await joinTeam(api, "ivy@acme.test", "Ivy Admin", "admin");
    const created = await post(ivy, "/admin/tokens", { name: "deploy bot", role: "viewer" });
    expect(created.status).toBeLessThan(400);
    const byApi = await api.request("POST", "/api/tokens", { as: "admin", json: { name: "ci", role: "viewer" } });
    expect(byApi.status).toBe(201);

    const listed = await tokens();
    expect(listed.find((t) => t.name === "deploy bot")).toMatchObject({
      owner_person_id: await personId("ivy@acme.test"),
      owner: { name: "Ivy Admin", removed: false },
    });
    expect(listed.find((t) => t.name === "ci")).toMatchObject({ owner_person_id: null, owner: null });
    expect((await screen(api, ivy, "/admin/tokens")).html).toContain("owned by Ivy Admin");
  });

  it("removing the owner keeps the token working, shown as owner removed, until an admin re-owns it", async () => {
    const ivy = await joinTeam(api, "ivy@acme.test", "Ivy Admin", "admin");
    await post(ivy, "/admin/tokens", { name: "deploy bot", role: "viewer" });
    await joinTeam(api, "jo@acme.test", "Jo Ops", "admin");
    const ivyId = await personId("ivy@acme.test");
    const joId = await personId("jo@acme.test");
    expect((await api.request("DELETE", `/api/people/${ivyId}`, { as: "admin" })).status).toBe(204);

    const orphan = (await tokens()).find((t) => t.name === "deploy bot");
    expect(orphan).toMatchObject({
      revoked_at: null,
      owner_person_id: ivyId,
      owner: { name: "Ivy Admin", removed: true },
    });
    const admin = await postForm(api, "/admin/sign-in", { token: api.tokens.admin });
    const cookie = { cookie: (admin.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "" };
    expect((await screen(api, cookie, "/admin/tokens")).html).toContain("owner removed: Ivy Admin");

    // A removed person cannot own it again, nor can nobody-in-particular; a viewer cannot re-own at all.
    const refused = await api.request("PATCH", `/api/tokens/${orphan?.id}`, {
      as: "admin",
      json: { owner_person_id: ivyId },
    });
    expect(refused.status).toBe(422);
    expect(
      (await api.request("PATCH", `/api/tokens/${orphan?.id}`, { as: "viewer", json: { owner_person_id: joId } }))
        .status,
    ).toBe(403);
    expect(
      (await api.request("PATCH", "/api/tokens/nosuchtoken0", { as: "admin", json: { owner_person_id: joId } })).status,
    ).toBe(404);

    const reowned = await api.request<TokenSummary>("PATCH", `/api/tokens/${orphan?.id}`, {
      as: "admin",
      json: { owner_person_id: joId },
    });
    expect(reowned.status).toBe(200);
    expect(reowned.body).toMatchObject({ owner_person_id: joId, owner: { name: "Jo Ops", removed: false } });
    const audit = await api.request<{ entries: { action: string; details: unknown }[] }>("GET", "/api/audit", {
      as: "admin",
    });
    expect(JSON.stringify(audit.body)).toContain("token.reown");
  });
});
