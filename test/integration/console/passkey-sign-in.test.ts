import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { passkeys, people } from "../../../db/schema.ts";
import { createTestApi, type TestApi } from "../../helpers/api.ts";
import { type SoftwarePasskey, softwarePasskey } from "../../helpers/software-passkey.ts";
import { workerdRuntime } from "../../helpers/workerd-runtime.ts";

/*
 * Signing in with a passkey through the console's routes, on Node and (vitest project `workerd`) on the
 * Worker, where @simplewebauthn/server verifies with Web Crypto only. The passkey is a software one.
 */
let api: TestApi;
let key: SoftwarePasskey;
let origin: string;
const ada = { id: "person-ada", name: "Ada Lovelace", email: "ada@acme.test", role: "commander" as const };

beforeEach(async () => {
  api = await createTestApi();
  origin = process.env.HERALD_TEST_RUNTIME === "workerd" ? (await workerdRuntime()).base : "http://localhost";
  const at = api.clock.now().toISOString();
  await api.db.insert(people).values({ ...ada, createdAt: at, updatedAt: at });
  key = await softwarePasskey();
  await api.db.insert(passkeys).values({
    id: key.id,
    personId: ada.id,
    publicKey: key.publicKey,
    transports: ["internal"],
    deviceType: "multiDevice",
    backedUp: true,
    name: "Laptop",
    createdAt: at,
  });
});
afterEach(() => api.cleanup());

function post(path: string, fields: Record<string, string>) {
  return api.app.request(path, {
    method: "POST",
    headers: { Origin: "http://localhost", "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields),
  });
}

async function options(): Promise<{ challengeId: string; options: { challenge: string; rpId: string } }> {
  const response = await post("/admin/passkeys/sign-in/options", {});
  expect(response.status).toBe(200);
  return response.json() as Promise<{ challengeId: string; options: { challenge: string; rpId: string } }>;
}

async function signedAnswer(started: Awaited<ReturnType<typeof options>>) {
  const response = await key.sign({
    challenge: started.options.challenge,
    rpId: started.options.rpId,
    origin,
    userHandle: ada.id,
  });
  return { challengeId: started.challengeId, response: JSON.stringify(response), next: "/admin/incidents" };
}

describe("passkey sign-in routes", () => {
  it("a signed challenge starts a session as the person; the same answer again is refused", async () => {
    const started = await options();
    expect(started.options).not.toHaveProperty("allowCredentials.0");
    const answer = await signedAnswer(started);
    const signedIn = await post("/admin/passkeys/sign-in", answer);
    expect(signedIn.status).toBe(200);
    expect(await signedIn.json()).toEqual({ location: "/admin/incidents" });
    const cookie = (signedIn.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    expect(cookie).toMatch(/^herald_console=/);
    const dashboard = await api.app.request("/admin", { headers: { Cookie: cookie } });
    expect(await dashboard.text()).toContain("Ada Lovelace");

    const replay = await post("/admin/passkeys/sign-in", answer);
    expect(replay.status).toBe(401);
    expect(replay.headers.get("content-type")).toContain("application/problem+json");
    expect(replay.headers.get("set-cookie")).toBeNull();
  });

  it("an unknown passkey and a malformed answer read like any refusal and sign nobody in", async () => {
    const started = await options();
    const stranger = await softwarePasskey();
    const response = await stranger.sign({
      challenge: started.options.challenge,
      rpId: started.options.rpId,
      origin,
      userHandle: "x",
    });
    const unknown = await post("/admin/passkeys/sign-in", {
      challengeId: started.challengeId,
      response: JSON.stringify(response),
    });
    expect(unknown.status).toBe(401);
    const malformed = await post("/admin/passkeys/sign-in", { challengeId: "x", response: "{not json" });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get("set-cookie")).toBeNull();
  });

  it("the passkey script is served", async () => {
    const script = await api.app.request("/admin/assets/passkeys.js");
    expect(script.status).toBe(200);
    expect(script.headers.get("content-type")).toContain("text/javascript");
    expect(await script.text()).toContain("/admin/passkeys/sign-in/options");
  });
});
