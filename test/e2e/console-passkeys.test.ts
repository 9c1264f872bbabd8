import { mkdir, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../core/actions/clock.ts";
import { SYSTEM_ACTOR } from "../../core/actions/context.ts";
import { run } from "../../core/actions/run.ts";
import { startConsoleSession } from "../../core/console/sessions.ts";
import { removePerson } from "../../core/people/remove-person.ts";
import { createDb, type Db } from "../../db/client.ts";
import { people } from "../../db/schema.ts";
import { axeViolations } from "../helpers/axe.ts";
import { launchChromium } from "../helpers/browser.ts";
import { type HeraldProcess, startHeraldProcess } from "../helpers/herald-process.ts";

/*
 * Passkeys through the console of a running Herald in real Chromium, with a CTAP2 platform authenticator
 * made through the DevTools protocol. The browser uses `localhost` (an IP address cannot be a WebAuthn RP ID).
 */
const SCREENSHOTS = "test-results/screenshots/passkeys";
const ada = { id: "person-ada", name: "Ada Lovelace", email: "ada@acme.test", role: "commander" as const };
const grace = { id: "person-grace", name: "Grace Hopper", email: "grace@acme.test", role: "admin" as const };

let dataDir: string;
let herald: HeraldProcess;
let browser: Browser;
let db: Db;
let origin: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "herald-passkeys-"));
  herald = await startHeraldProcess(dataDir);
  origin = herald.url.replace("127.0.0.1", "localhost");
  db = createDb({ url: `file:${join(dataDir, "herald.db")}` });
  // Grace stands for the team's admin (so Ada can be removed); Ada joins by a real invitation below.
  const at = new Date().toISOString();
  await db.insert(people).values({ ...grace, createdAt: at, updatedAt: at });
  browser = await launchChromium();
  await mkdir(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  db?.$client.close();
  await herald?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** A browser with a passkey-capable authenticator of its own (one per person's device). */
async function device(colorScheme: "light" | "dark" = "light"): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ colorScheme, viewport: { width: 1280, height: 800 }, bypassCSP: true });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
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
  return { context, page };
}

/** The invitation link in the mail Herald wrote (no SMTP_URL: into the data folder's mail/), at `origin`. */
async function invitationLink(): Promise<string> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const names = await readdir(join(dataDir, "mail")).catch(() => [] as string[]);
    for (const name of names.filter((n) => n.endsWith(".eml"))) {
      const text = (await readFile(join(dataDir, "mail", name), "utf8")).replace(/=\r?\n/g, "").replace(/=3D/g, "=");
      const link = /https?:\/\/[^\s"<>]+\/admin\/invitation\?token=[\w.-]+/.exec(text)?.[0];
      if (link) return `${origin}${new URL(link).pathname}${new URL(link).search}`;
    }
    if (Date.now() > deadline) throw new Error("no invitation mail was written");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("passkeys in the console", () => {
  let context: BrowserContext;
  let page: Page;
  let signInBody = "";

  it("an invited person is offered a passkey right after accepting, adds one and sees it listed", async () => {
    const invited = await fetch(`${herald.url}/api/people/invitations`, {
      method: "POST",
      headers: { Authorization: `Bearer ${herald.printedToken}`, "Content-Type": "application/json" },
      body: JSON.stringify({ email: ada.email, role: ada.role }),
    });
    expect(invited.status).toBe(201);
    ({ context, page } = await device());
    await page.goto(await invitationLink());
    await page.getByLabel("Your name").fill(ada.name);
    await page.getByRole("button", { name: "Accept and sign in" }).click();
    await page.waitForURL(/\/admin\/passkeys\?welcome=1/);
    expect(await page.locator("main").textContent()).toContain("Welcome");
    await page.getByLabel("Name", { exact: true }).fill("Laptop");
    await page.getByRole("button", { name: "Add a passkey" }).click();
    await page.waitForURL(/done=passkey-added/);
    await expect.poll(() => page.locator("main").textContent()).toContain("Laptop");
    expect(await page.locator("main").textContent()).toContain("never used");
    expect(await axeViolations(page)).toEqual([]);
  });

  it("signs out, then signs in with the passkey without typing anything", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/sign-in/);
    page.on("request", (request) => {
      if (request.url().endsWith("/admin/passkeys/sign-in") && request.method() === "POST") {
        signInBody = request.postData() ?? "";
      }
    });
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await page.waitForURL(`${origin}/admin`);
    expect(await page.locator("header").textContent()).toContain("Ada Lovelace");
    await page.goto(`${origin}/admin/passkeys`);
    expect(await page.locator("main").textContent()).toMatch(/last used/);
  });

  it("a replayed sign-in answer is refused", async () => {
    expect(signInBody).toContain("challengeId");
    const replay = await fetch(`${origin}/admin/passkeys/sign-in`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: origin },
      body: signInBody,
    });
    expect(replay.status).toBe(401);
    expect(replay.headers.get("set-cookie")).toBeNull();
    expect((await replay.json()) as { detail: string }).toMatchObject({
      detail: expect.stringContaining("did not sign you in"),
    });
  });

  it("a removed person's passkey no longer signs in", async () => {
    const [joined] = await db.select({ id: people.id }).from(people).where(eq(people.email, ada.email));
    await run({ db, clock: systemClock, actor: SYSTEM_ACTOR }, removePerson, { id: joined?.id ?? "" });
    await page.goto(`${origin}/admin`);
    await page.waitForURL(/sign-in/);
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await expect.poll(() => page.locator("#passkey-error").textContent()).toContain("did not sign you in");
    expect(page.url()).toMatch(/sign-in/);
    await context.close();
  });

  it("looks right, light and dark", async () => {
    await db.insert(people).values({
      ...ada,
      id: "person-ada-2",
      email: "ada2@acme.test",
      createdAt: new Date().toISOString(),
      updatedAt: new Date().toISOString(),
    });
    for (const colorScheme of ["light", "dark"] as const) {
      const shot = await device(colorScheme);
      await shot.page.goto(`${origin}/admin/sign-in`);
      await shot.page.getByRole("button", { name: "Sign in with a passkey" }).waitFor();
      await shot.page.screenshot({ path: `${SCREENSHOTS}/sign-in-${colorScheme}.png`, fullPage: true });
      const session = await startConsoleSession(
        db,
        systemClock,
        { ...ada, id: "person-ada-2" },
        { kind: "person", id: "person-ada-2" },
      );
      await shot.context.addCookies([{ name: "herald_console", value: session.secret, url: `${origin}/admin` }]);
      await shot.page.goto(`${origin}/admin/passkeys`);
      await shot.page.getByLabel("Name").fill(colorScheme === "light" ? "Laptop" : "Phone");
      await shot.page.getByRole("button", { name: "Add a passkey" }).click();
      await shot.page.waitForURL(/done=passkey-added/);
      await shot.page.screenshot({ path: `${SCREENSHOTS}/passkeys-${colorScheme}.png`, fullPage: true });
      await shot.context.close();
    }
  });
});
