import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AuditEntry } from "../../../core/audit/list-audit.ts";
import { passkeys } from "../../../db/schema.ts";
import { createTestApi, type TestApi } from "../../helpers/api.ts";
import { type SoftwarePasskey, softwarePasskey } from "../../helpers/software-passkey.ts";
import { workerdRuntime } from "../../helpers/workerd-runtime.ts";
import { joinTeam, postForm, screen } from "./people-helpers.ts";

/*
 * A person's passkeys as an admin sees and removes them (a lost phone), and as the person removes their own.
 * The passkey is a software one (test/helpers/software-passkey.ts) whose row is stored as registration
 * stores it; it signs in through the console's own route. Runs on Node and on the Worker (API_SUITE).
 */
let api: TestApi;
let key: SoftwarePasskey;
let origin: string;
let adaId: string;

const PASSKEY_ORIGIN = "http://localhost";

beforeEach(async () => {
  api = await createTestApi();
  origin = process.env.HERALD_TEST_RUNTIME === "workerd" ? (await workerdRuntime()).base : PASSKEY_ORIGIN;
  await joinTeam(api, "ada@example.com", "Ada", "commander");
  const team = await api.request<{ people: { id: string; name: string }[] }>("GET", "/api/people", { as: "admin" });
  adaId = team.body.people.find((p) => p.name === "Ada")?.id ?? "";
  key = await softwarePasskey();
  await api.db.insert(passkeys).values({
    id: key.id,
    personId: adaId,
    publicKey: key.publicKey,
    transports: ["internal"],
    deviceType: "multiDevice",
    backedUp: true,
    name: "Phone",
    createdAt: api.clock.now().toISOString(),
  });
});
afterEach(() => api.cleanup());

function post(path: string, fields: Record<string, string>, cookie?: string) {
  return api.app.request(`${PASSKEY_ORIGIN}${path}`, {
    method: "POST",
    headers: {
      Origin: PASSKEY_ORIGIN,
      "Content-Type": "application/x-www-form-urlencoded",
      ...(cookie ? { Cookie: cookie } : {}),
    },
    body: new URLSearchParams(fields),
  });
}

/** Signs Ada in with her passkey: the console's cookie, or null when the passkey was refused. */
async function signInWithPasskey(): Promise<string | null> {
  const started = (await (await post("/admin/passkeys/sign-in/options", {})).json()) as {
    challengeId: string;
    options: { challenge: string; rpId: string };
  };
  const answer = await key.sign({ ...started.options, origin, userHandle: adaId });
  const response = await post("/admin/passkeys/sign-in", {
    challengeId: started.challengeId,
    response: JSON.stringify(answer),
  });
  if (response.status !== 200) return null;
  return (response.headers.get("set-cookie") ?? "").split(";")[0] ?? null;
}

type Listed = { passkeys: { id: string; name: string; last_used_at: string | null; synced: boolean }[] };

describe("a person's passkeys, for an admin", () => {
  it("lists them (name, added, last used, synced) and never the public key", async () => {
    expect(await signInWithPasskey()).toMatch(/^herald_console=/);
    const listed = await api.request<Listed>("GET", `/api/people/${adaId}/passkeys`, { as: "admin" });
    expect(listed.status).toBe(200);
    expect(listed.body.passkeys).toEqual([
      {
        id: key.id,
        name: "Phone",
        created_at: api.clock.now().toISOString(),
        last_used_at: api.clock.now().toISOString(),
        synced: true,
      },
    ]);
    expect(JSON.stringify(listed.body)).not.toContain(key.publicKey);
  });

  it("removes one: it no longer signs her in; audited with its name; a second removal is a 404", async () => {
    const removed = await api.request("DELETE", `/api/people/${adaId}/passkeys/${key.id}`, { as: "admin" });
    expect(removed.status).toBe(204);
    expect(await signInWithPasskey()).toBeNull();
    const again = await api.request("DELETE", `/api/people/${adaId}/passkeys/${key.id}`, { as: "admin" });
    expect(again.status).toBe(404);
    const audit = await api.request<AuditEntry[]>("GET", "/api/audit", { as: "admin" });
    expect(audit.body.find((e) => e.action === "passkey.remove")).toMatchObject({
      action: "passkey.remove",
      target_id: adaId,
      details: { name: "Phone", passkey_id: key.id },
    });
  });

  it("only an admin lists or removes them, and only under their owner's id", async () => {
    const commander = await api.request("GET", `/api/people/${adaId}/passkeys`, { as: "commander" });
    expect(commander.status).toBe(403);
    const removedByCommander = await api.request("DELETE", `/api/people/${adaId}/passkeys/${key.id}`, {
      as: "commander",
    });
    expect(removedByCommander.status).toBe(403);
    await joinTeam(api, "bea@example.com", "Bea", "viewer");
    const team = await api.request<{ people: { id: string; name: string }[] }>("GET", "/api/people", { as: "admin" });
    const bea = team.body.people.find((p) => p.name === "Bea")?.id ?? "";
    const wrongOwner = await api.request("DELETE", `/api/people/${bea}/passkeys/${key.id}`, { as: "admin" });
    expect(wrongOwner.status).toBe(404);
    expect(await signInWithPasskey()).toMatch(/^herald_console=/);
  });

  it("the Team page shows an admin each person's passkeys, and removing one there is audited by the admin's name", async () => {
    const root = await joinTeam(api, "root@example.com", "Root", "admin");
    const team = await screen(api, root, "/admin/team");
    expect(team.html).toContain("1 session · 1 passkey");
    expect(team.html).toContain("Phone");
    const csrf = /name="csrf-token" content="([^"]+)"/.exec(team.html)?.[1] ?? "";
    const removed = await postForm(api, `/admin/team/${adaId}/passkeys/${key.id}/remove`, { _csrf: csrf }, root);
    expect(removed.status).toBe(303);
    expect(await signInWithPasskey()).toBeNull();
    const audit = await api.request<AuditEntry[]>("GET", "/api/audit", { as: "admin" });
    expect(audit.body.find((e) => e.action === "passkey.remove")?.actor).toMatch(/^Root \(/);
  });

  it("a person removes their own passkey from Your passkeys", async () => {
    const cookie = (await signInWithPasskey()) ?? "";
    const page = await (
      await api.app.request(`${PASSKEY_ORIGIN}/admin/passkeys`, { headers: { Cookie: cookie } })
    ).text();
    const csrf = /name="csrf-token" content="([^"]+)"/.exec(page)?.[1] ?? "";
    const removed = await post(`/admin/passkeys/${key.id}/remove`, { _csrf: csrf }, cookie);
    expect(removed.status).toBe(303);
    expect(await signInWithPasskey()).toBeNull();
  });
});
