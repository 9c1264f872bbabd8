import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { asc } from "drizzle-orm";
import { build } from "esbuild";
import type { Browser, CDPSession, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { run } from "../../core/actions/run.ts";
import {
  authenticationResponse,
  finishPasskeyRegistration,
  finishPasskeySignIn,
  listPasskeys,
  type RelyingParty,
  registrationResponse,
  relyingPartyFor,
  removeOwnPasskey,
  startPasskeyRegistration,
  startPasskeySignIn,
} from "../../core/people/passkeys/index.ts";
import { removePerson } from "../../core/people/remove-person.ts";
import { auditLog, passkeys, people } from "../../db/schema.ts";
import { launchChromium } from "../helpers/browser.ts";
import { contextFor, createTestDb, manualClock, type TestDb } from "../helpers/database.ts";

/*
 * The passkey ceremonies of core/people/passkeys against real Chromium: a CTAP2 platform authenticator
 * (resident keys, user verification) made through the DevTools protocol, driven by @simplewebauthn/browser
 * exactly as the console's script drives it, on a page served from http://localhost (a secure context).
 */
async function browserLibrary(): Promise<string> {
  const built = await build({
    entryPoints: [fileURLToPath(import.meta.resolve("@simplewebauthn/browser"))],
    bundle: true,
    format: "iife",
    globalName: "SimpleWebAuthnBrowser",
    write: false,
  });
  return built.outputFiles[0]?.text ?? "";
}

const ada = { id: "person-ada", name: "Ada Lovelace", email: "ada@acme.test" };
const grace = { id: "person-grace", name: "Grace Hopper", email: "grace@acme.test" };

let browser: Browser;
let server: Server;
let rp: RelyingParty;
let test: TestDb;
let page: Page;
let cdp: CDPSession;
const clock = manualClock(new Date().toISOString());

beforeAll(async () => {
  const bundle = await browserLibrary();
  server = createServer((request, response) => {
    if (request.url === "/webauthn.js") {
      response.writeHead(200, { "Content-Type": "text/javascript" }).end(bundle);
      return;
    }
    response
      .writeHead(200, { "Content-Type": "text/html" })
      .end('<!doctype html><title>Sign in</title><script src="/webauthn.js"></script>');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  rp = relyingPartyFor(`http://localhost:${port}/admin`, "Acme Status");
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

beforeEach(async () => {
  await test?.cleanup();
  test = await createTestDb();
  // Until accepting an invitation lands (team-people), the team is written as that will write it.
  const at = clock.now().toISOString();
  await test.db
    .insert(people)
    .values([ada, grace].map((person) => ({ ...person, role: "admin" as const, createdAt: at, updatedAt: at })));
  await page?.context().close();
  const context = await browser.newContext();
  page = await context.newPage();
  await page.goto(`${rp.origin}/admin/sign-in`);
  cdp = await context.newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
});

afterAll(async () => {
  await test?.cleanup();
});

const deps = () => ({ db: test.db, clock, rp });
const as = (person: typeof ada) => ({ db: test.db, clock, actor: { ...person, role: "admin" as const } });

/** What the browser answers to registration options, parsed as the console's route parses it. */
async function createInBrowser(options: unknown) {
  const answer = await page.evaluate(
    (optionsJSON) => (globalThis as unknown as BrowserLibrary).SimpleWebAuthnBrowser.startRegistration({ optionsJSON }),
    options,
  );
  return registrationResponse.parse(answer);
}

async function getInBrowser(options: unknown) {
  const answer = await page.evaluate(
    (optionsJSON) =>
      (globalThis as unknown as BrowserLibrary).SimpleWebAuthnBrowser.startAuthentication({ optionsJSON }),
    options,
  );
  return authenticationResponse.parse(answer);
}

type BrowserLibrary = {
  SimpleWebAuthnBrowser: {
    startRegistration(o: { optionsJSON: unknown }): Promise<unknown>;
    startAuthentication(o: { optionsJSON: unknown }): Promise<unknown>;
  };
};

async function addPasskey(owner = ada, name = "Laptop") {
  const start = await startPasskeyRegistration(test.db, clock, rp, owner);
  const response = await createInBrowser(start.options);
  const added = await finishPasskeyRegistration(
    test.db,
    clock,
    rp,
    owner,
    { challengeId: start.challengeId, name, response },
    as(owner).actor,
  );
  if (!added.ok) throw new Error(`the passkey was not added: ${added.reason}`);
  return added;
}

async function signIn(ip = "203.0.113.7") {
  const start = await startPasskeySignIn(deps(), ip);
  if (!start.ok) throw new Error("rate limited");
  const response = await getInBrowser(start.options);
  const outcome = await finishPasskeySignIn(deps(), ip, { challengeId: start.challengeId, response });
  return { outcome, response, challengeId: start.challengeId };
}

describe("passkeys in Chromium", () => {
  it("a person adds a named passkey, then signs in with it without typing an email", async () => {
    const added = await addPasskey();
    expect(added).toMatchObject({ ok: true, passkey: { name: "Laptop" } });

    const { outcome } = await signIn();
    expect(outcome).toMatchObject({ ok: true, person: { id: ada.id, name: ada.name, role: "admin" } });
    const [listed] = await listPasskeys(test.db, ada.id);
    expect(listed).toMatchObject({ name: "Laptop", lastUsedAt: clock.now().toISOString() });
    expect(await listPasskeys(test.db, grace.id)).toEqual([]);
  });

  it("a replayed sign-in is refused, with the same challenge or a fresh one", async () => {
    await addPasskey();
    const { outcome, response, challengeId } = await signIn();
    expect(outcome.ok).toBe(true);

    const replay = await finishPasskeySignIn(deps(), "203.0.113.7", { challengeId, response });
    expect(replay).toEqual({ ok: false, reason: "refused" });
    const fresh = await startPasskeySignIn(deps(), "203.0.113.7");
    if (!fresh.ok) throw new Error("rate limited");
    const replayed = await finishPasskeySignIn(deps(), "203.0.113.7", { challengeId: fresh.challengeId, response });
    expect(replayed).toEqual({ ok: false, reason: "refused" });
  });

  it("a removed person's passkey no longer signs in", async () => {
    await addPasskey();
    await run(contextFor(test.db, clock), removePerson, { id: ada.id });
    expect((await signIn()).outcome).toEqual({ ok: false, reason: "refused" });
  });

  it("a removed passkey no longer signs in, and nobody removes another person's", async () => {
    const added = await addPasskey();
    const remove = (person: typeof ada) =>
      run({ ...as(person), actor: { ...as(person).actor, kind: "person" } }, removeOwnPasskey, {
        passkey_id: added.passkey.id,
      });
    await expect(remove(grace)).rejects.toMatchObject({ kind: "not_found" });
    expect((await signIn()).outcome.ok).toBe(true);
    await expect(remove(ada)).resolves.toEqual({ outcome: "removed" });
    expect((await signIn()).outcome).toEqual({ ok: false, reason: "refused" });
    const audit = await test.db.select().from(auditLog).orderBy(asc(auditLog.at), asc(auditLog.action));
    expect(audit.map((entry) => [entry.action, entry.actor, entry.targetId])).toEqual([
      ["passkey.add", `Ada Lovelace (${ada.id})`, ada.id],
      ["passkey.remove", `Ada Lovelace (${ada.id})`, ada.id],
    ]);
  });

  it("a challenge is single-use, expires, and a registration challenge is only its person's", async () => {
    const start = await startPasskeyRegistration(test.db, clock, rp, ada);
    const response = await createInBrowser(start.options);
    const asGrace = await finishPasskeyRegistration(
      test.db,
      clock,
      rp,
      grace,
      {
        challengeId: start.challengeId,
        name: "Stolen",
        response,
      },
      as(grace).actor,
    );
    expect(asGrace).toEqual({ ok: false, reason: "challenge" });
    // Grace's attempt used it up: Ada must ask again.
    const again = await finishPasskeyRegistration(
      test.db,
      clock,
      rp,
      ada,
      {
        challengeId: start.challengeId,
        name: "Laptop",
        response,
      },
      as(ada).actor,
    );
    expect(again).toEqual({ ok: false, reason: "challenge" });

    await addPasskey();
    const late = await startPasskeySignIn(deps(), "203.0.113.7");
    if (!late.ok) throw new Error("rate limited");
    const answer = await getInBrowser(late.options);
    clock.advance(6 * 60 * 1000);
    const outcome = await finishPasskeySignIn(deps(), "203.0.113.7", {
      challengeId: late.challengeId,
      response: answer,
    });
    expect(outcome).toEqual({ ok: false, reason: "refused" });
  });

  it("a passkey whose counter went backwards (a cloned authenticator) is refused", async () => {
    await addPasskey();
    expect((await signIn()).outcome.ok).toBe(true);
    await test.db.update(passkeys).set({ counter: 1_000_000 });
    expect((await signIn()).outcome).toEqual({ ok: false, reason: "refused" });
  });

  it("a name that could disguise itself is refused before the challenge is spent", async () => {
    const start = await startPasskeyRegistration(test.db, clock, rp, ada);
    const response = await createInBrowser(start.options);
    const answer = { challengeId: start.challengeId, name: "Laptop\u202Epot", response };
    const refused = await finishPasskeyRegistration(test.db, clock, rp, ada, answer, as(ada).actor);
    expect(refused).toMatchObject({ ok: false, reason: "name", message: expect.stringContaining("U+202E") });
    const named = await finishPasskeyRegistration(
      test.db,
      clock,
      rp,
      ada,
      { ...answer, name: "Laptop" },
      as(ada).actor,
    );
    expect(named).toMatchObject({ ok: true, passkey: { name: "Laptop" } });
  });

  it("an answer for another site is refused", async () => {
    await addPasskey();
    const start = await startPasskeySignIn(deps(), "203.0.113.7");
    if (!start.ok) throw new Error("rate limited");
    const response = await getInBrowser(start.options);
    const elsewhere = relyingPartyFor("https://status.acme.test/admin", "Acme Status");
    const outcome = await finishPasskeySignIn({ ...deps(), rp: elsewhere }, "203.0.113.7", {
      challengeId: start.challengeId,
      response,
    });
    expect(outcome).toEqual({ ok: false, reason: "refused" });
  });

  it("one address gets a limited number of sign-in attempts; another address is unaffected", async () => {
    const limit = { name: "passkey-sign-in-test", limit: 3, windowMs: 60_000 };
    for (let i = 0; i < 3; i += 1)
      expect((await startPasskeySignIn({ ...deps(), limit }, "198.51.100.1")).ok).toBe(true);
    expect(await startPasskeySignIn({ ...deps(), limit }, "198.51.100.1")).toMatchObject({
      ok: false,
      reason: "rate_limited",
    });
    expect((await startPasskeySignIn({ ...deps(), limit }, "198.51.100.2")).ok).toBe(true);
  });
});
