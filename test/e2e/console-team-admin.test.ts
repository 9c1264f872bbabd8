import { mkdir, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Cookie, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeViolations } from "../helpers/axe.ts";
import { launchChromium } from "../helpers/browser.ts";
import { type HeraldProcess, startHeraldProcess } from "../helpers/herald-process.ts";

/*
 * The Team page as an admin uses it, in Chromium: each person's sessions and passkeys (a real passkey made
 * by a virtual authenticator), ending a session, signing someone out everywhere, removing a passkey, and the
 * single sign-on card. Then screenshots, light and dark, checked with axe. The SSO provider is configured
 * (OIDC_*) but never contacted: these screens only name it.
 */
const SCREENSHOTS = "test-results/screenshots/team-admin";

let dataDir: string;
let herald: HeraldProcess;
let browser: Browser;
let origin: string;
const seen = new Set<string>();

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "herald-team-admin-"));
  herald = await startHeraldProcess(dataDir, {
    OIDC_ISSUER: "https://accounts.google.com",
    OIDC_CLIENT_ID: "herald-test.apps.googleusercontent.com",
    OIDC_CLIENT_SECRET: "not-used-by-these-screens",
  });
  origin = herald.url.replace("127.0.0.1", "localhost");
  browser = await launchChromium();
  await mkdir(SCREENSHOTS, { recursive: true });
  expect((await api("PATCH", "/api/sso", { domains: ["acme.test"] })).status).toBe(200);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await herald?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** A browser with a passkey-capable authenticator of its own. */
async function device(colorScheme: "light" | "dark" = "light"): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ colorScheme, viewport: { width: 1280, height: 900 }, bypassCSP: true });
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

function api(method: string, path: string, json?: unknown): Promise<Response> {
  return fetch(`${herald.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${herald.printedToken}`, "Content-Type": "application/json" },
    ...(json === undefined ? {} : { body: JSON.stringify(json) }),
  });
}

/** The newest invitation link Herald wrote to its mail folder (no SMTP_URL), at `origin`. */
async function invitationLink(): Promise<string> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const names = (await readdir(join(dataDir, "mail")).catch(() => [] as string[])).filter((n) => n.endsWith(".eml"));
    for (const name of names.filter((n) => !seen.has(n))) {
      const text = (await readFile(join(dataDir, "mail", name), "utf8")).replace(/=\r?\n/g, "").replace(/=3D/g, "=");
      const link = /https?:\/\/[^\s"<>]+\/admin\/invitation\?token=[\w.-]+/.exec(text)?.[0];
      seen.add(name);
      if (link) return `${origin}${new URL(link).pathname}${new URL(link).search}`;
    }
    if (Date.now() > deadline) throw new Error("no invitation mail was written");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Invites by the API and accepts in `page`, as the person would; lands on Your passkeys. */
async function joinTeamIn(page: Page, email: string, name: string, role: string): Promise<void> {
  expect((await api("POST", "/api/people/invitations", { email, role })).status).toBe(201);
  await page.goto(await invitationLink());
  await page.getByLabel("Your name").fill(name);
  await page.getByRole("button", { name: "Accept and sign in" }).click();
  await page.waitForURL(/\/admin\/passkeys\?welcome=1/);
}

const openAccess = (page: Page) =>
  page.evaluate(() => {
    for (const details of document.querySelectorAll("details.access")) details.setAttribute("open", "");
  });

describe("the Team page for an admin", () => {
  let grace: { context: BrowserContext; page: Page };
  let ada: { context: BrowserContext; page: Page };
  let graceCookies: Cookie[] = [];

  it("shows an admin each person's sessions (their browser) and passkeys", async () => {
    grace = await device();
    await joinTeamIn(grace.page, "grace@acme.test", "Grace Hopper", "admin");
    ada = await device();
    await joinTeamIn(ada.page, "ada@acme.test", "Ada Lovelace", "commander");
    await ada.page.getByLabel("Name", { exact: true }).fill("Laptop");
    await ada.page.getByRole("button", { name: "Add a passkey" }).click();
    await ada.page.waitForURL(/done=passkey-added/);
    expect((await api("POST", "/api/people/invitations", { email: "lin@acme.test", role: "viewer" })).status).toBe(201);

    await grace.page.goto(`${origin}/admin/team`);
    const adaRow = grace.page.locator('section[aria-labelledby="people-h"] > ul > li', { hasText: "ada@acme.test" });
    await adaRow.locator("summary", { hasText: "1 session · 1 passkey" }).click();
    expect(await adaRow.textContent()).toMatch(/Chrome \d+ on Linux/);
    expect(await adaRow.textContent()).toContain("Laptop");
    expect(await axeViolations(grace.page)).toEqual([]);
    graceCookies = await grace.context.cookies();
  });

  it("looks right, light and dark: sign-in, the Team page, Your settings", async () => {
    for (const colorScheme of ["light", "dark"] as const) {
      const shot = await device(colorScheme);
      await shot.page.goto(`${origin}/admin/sign-in`);
      await shot.page.getByRole("button", { name: "Sign in with a passkey" }).waitFor();
      expect(await shot.page.locator("main").textContent()).toContain("Sign in with Google");
      expect(await axeViolations(shot.page)).toEqual([]);
      await shot.page.screenshot({ path: `${SCREENSHOTS}/sign-in-${colorScheme}.png`, fullPage: true });

      await shot.context.addCookies(graceCookies);
      await shot.page.goto(`${origin}/admin/team`);
      await openAccess(shot.page);
      expect(await axeViolations(shot.page)).toEqual([]);
      await shot.page.screenshot({ path: `${SCREENSHOTS}/team-${colorScheme}.png`, fullPage: true });

      await shot.page.goto(`${origin}/admin/me`);
      expect(await axeViolations(shot.page)).toEqual([]);
      await shot.page.screenshot({ path: `${SCREENSHOTS}/settings-${colorScheme}.png`, fullPage: true });
      await shot.context.close();
    }
  });

  it("ending a session from the Team page signs that browser out at once", async () => {
    await grace.page.goto(`${origin}/admin/team`);
    const adaRow = grace.page.locator('section[aria-labelledby="people-h"] > ul > li', { hasText: "ada@acme.test" });
    await adaRow.locator("summary", { hasText: "1 session" }).click();
    await adaRow.getByRole("button", { name: "End session" }).click();
    await grace.page.waitForURL(/done=session-ended/);
    await ada.page.goto(`${origin}/admin`);
    await ada.page.waitForURL(/sign-in/);
  });

  it("signs a person out everywhere and removes their passkey; the passkey no longer signs them in", async () => {
    await ada.page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await ada.page.waitForURL(`${origin}/admin`);

    await grace.page.goto(`${origin}/admin/team`);
    const adaRow = grace.page.locator('section[aria-labelledby="people-h"] > ul > li', { hasText: "ada@acme.test" });
    await adaRow.locator("summary", { hasText: "1 session" }).click();
    await adaRow.getByText("Sign out everywhere…").click();
    await adaRow.getByRole("button", { name: "Yes, sign out everywhere" }).click();
    await grace.page.waitForURL(/done=signed-out-everywhere/);
    await ada.page.goto(`${origin}/admin`);
    await ada.page.waitForURL(/sign-in/);

    await grace.page
      .locator('section[aria-labelledby="people-h"] > ul > li', { hasText: "ada@acme.test" })
      .locator("summary", { hasText: "passkey" })
      .click();
    const passkeyRow = grace.page.locator("li", { hasText: "Laptop" }).last();
    await passkeyRow.getByText("Remove…").click();
    await passkeyRow.getByRole("button", { name: "Yes, remove" }).click();
    await grace.page.waitForURL(/done=their-passkey-removed/);
    await ada.page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await expect.poll(() => ada.page.locator("#passkey-error").textContent()).toContain("did not sign you in");
    await ada.context.close();
  });

  it("the single sign-on card names the provider and saves the allowed domains", async () => {
    await grace.page.goto(`${origin}/admin/team`);
    expect(await grace.page.locator("#sso-h").locator("..").textContent()).toContain("Google");
    expect(await grace.page.locator("main").textContent()).toContain("https://accounts.google.com");
    expect(await grace.page.getByLabel("Allowed domains").inputValue()).toBe("acme.test");
    await grace.page.getByLabel("Allowed domains").fill("acme.test\nAcme.io");
    await grace.page.getByLabel("Role of a new person").selectOption("commander");
    await grace.page.getByRole("button", { name: "Save single sign-on" }).click();
    await grace.page.waitForURL(/done=sso-saved/);
    expect(await (await api("GET", "/api/sso")).json()).toEqual({
      domains: ["acme.io", "acme.test"],
      default_role: "commander",
    });
    await grace.context.close();
  });
});
