import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../helpers/browser.ts";
import { type HeraldProcess, startHeraldProcess } from "../helpers/herald-process.ts";
import { freePort, type OidcProvider, startOidcProvider } from "../helpers/oidc-provider.ts";

const SCREENSHOTS = "test-results/screenshots";

let dataDir: string;
let herald: HeraldProcess;
let provider: OidcProvider;
let browser: Browser;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "herald-console-sso-"));
  // Herald's address must be known before it starts: the provider's client is registered with its callback.
  const port = await freePort();
  provider = await startOidcProvider(`http://127.0.0.1:${port}/admin/sso/callback`);
  herald = await startHeraldProcess(dataDir, {
    PORT: String(port),
    OIDC_ISSUER: provider.issuer,
    OIDC_CLIENT_ID: provider.clientId,
    OIDC_CLIENT_SECRET: provider.clientSecret,
  });
  browser = await launchChromium();
  await mkdir(SCREENSHOTS, { recursive: true });
  const response = await fetch(`${herald.url}/api/sso`, {
    method: "PATCH",
    headers: { Authorization: `Bearer ${herald.printedToken}`, "Content-Type": "application/json" },
    body: JSON.stringify({ domains: ["Example.com"], default_role: "commander" }),
  });
  expect(await response.json()).toEqual({ domains: ["example.com"], default_role: "commander" });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await herald?.stop();
  await provider?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

/** A fresh browser (no cookies) that reaches only this machine: the provider's page imports a web font. */
async function freshPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  await context.route(/^https?:\/\/(?!localhost|127\.0\.0\.1)/, (route) => route.abort());
  return context.newPage();
}

/** Clicks "Sign in with …" on Herald's sign-in page and signs in on the provider's own login and consent pages. */
async function signInAtProvider(page: Page, login: string): Promise<void> {
  await page.goto(`${herald.url}/admin/sign-in`);
  await page.getByRole("link", { name: "Sign in with localhost" }).click();
  await page.waitForURL(/^http:\/\/localhost:\d+\/interaction\//);
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill("any password");
  await page.getByRole("button", { name: "Sign-in" }).click();
  await page.getByRole("button", { name: "Continue" }).click();
  await page.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\/admin\/sso\/callback\?/);
}

describe("single sign-on through a real OpenID provider", () => {
  it("the sign-in page offers the provider, and its login page tells Herald who signed in", async () => {
    const page = await freshPage();
    await page.goto(`${herald.url}/admin/sign-in`);
    await page.screenshot({ path: `${SCREENSHOTS}/console-sso-sign-in.png`, fullPage: true });
    await signInAtProvider(page, "ada");
    await expect(page.getByRole("heading", { name: "Signed in at localhost" }).isVisible()).resolves.toBe(true);
    const status = await page.getByRole("status").textContent();
    expect(status).toContain("Ada Lovelace (ada@example.com)");
    expect(status).toContain("as commander");
    await page.screenshot({ path: `${SCREENSHOTS}/console-sso-identified.png`, fullPage: true });

    // The same return, replayed (back button, a copied URL): the login was used once and is gone.
    const callback = page.url();
    await page.goto(callback);
    await expect(page.getByRole("heading", { name: "Sign-in link expired" }).isVisible()).resolves.toBe(true);
    await page.screenshot({ path: `${SCREENSHOTS}/console-sso-replayed.png`, fullPage: true });
    await page.context().close();
  });

  it("an address on a domain that is not allowed is refused and gets no account", async () => {
    const page = await freshPage();
    await signInAtProvider(page, "mallory");
    await expect(page.getByRole("heading", { name: "Not allowed here" }).isVisible()).resolves.toBe(true);
    expect(await page.getByRole("alert").textContent()).toContain("mallory@elsewhere.test is not on a domain allowed");
    await page.screenshot({ path: `${SCREENSHOTS}/console-sso-refused.png`, fullPage: true });
    await page.context().close();
  });

  it("an address the provider has not verified is refused", async () => {
    const page = await freshPage();
    await signInAtProvider(page, "eve");
    await expect(page.getByRole("heading", { name: "Address not verified" }).isVisible()).resolves.toBe(true);
    await page.context().close();
  });

  it("a return begun in another browser is refused, even with a live login", async () => {
    const victim = await freshPage();
    await victim.goto(`${herald.url}/admin/sign-in`);
    await victim.getByRole("link", { name: "Sign in with localhost" }).click();
    await victim.waitForURL(/^http:\/\/localhost:\d+\/interaction\//);
    await victim.locator('input[name="login"]').fill("ada");
    await victim.locator('input[name="password"]').fill("any password");
    await victim.getByRole("button", { name: "Sign-in" }).click();
    // Stop at the redirect back to Herald and hand that URL to another browser.
    await victim.route(/\/admin\/sso\/callback/, (route) => route.abort());
    const [request] = await Promise.all([
      victim.waitForRequest(/\/admin\/sso\/callback/),
      victim.getByRole("button", { name: "Continue" }).click(),
    ]);
    const other = await freshPage();
    await other.goto(request.url());
    await expect(other.getByRole("heading", { name: "Sign-in link expired" }).isVisible()).resolves.toBe(true);
    await victim.context().close();
    await other.context().close();
  });
});
