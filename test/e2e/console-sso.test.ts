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

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${herald.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${herald.printedToken}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

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
  it("a new person on an allowed domain signs in at the provider's own pages and is in the console as themselves", async () => {
    const page = await freshPage();
    await page.goto(`${herald.url}/admin/sign-in`);
    await page.screenshot({ path: `${SCREENSHOTS}/console-sso-sign-in.png`, fullPage: true });
    await signInAtProvider(page, "ada");
    const callback = page.url();
    await page.waitForURL(`${herald.url}/admin`);
    const who = page.locator(".who");
    await expect(who.textContent()).resolves.toContain("Ada Lovelace");
    await expect(who.textContent()).resolves.toContain("commander");
    await page.screenshot({ path: `${SCREENSHOTS}/console-sso-signed-in.png`, fullPage: true });

    // The audit log names the person who signed up, as themselves.
    const audit = await api<{ action: string; actor: string; details: Record<string, unknown> }[]>("GET", "/api/audit");
    const created = audit.find((entry) => entry.action === "person.create");
    expect(created?.actor).toMatch(/^Ada Lovelace \(/);
    expect(created?.details).toMatchObject({ email: "ada@example.com", role: "commander", via: "sso" });

    // The same return, replayed (back button, a copied URL): the login was used once and is gone.
    await page.goto(callback);
    await expect(page.getByRole("heading", { name: "Sign-in link expired" }).isVisible()).resolves.toBe(true);
    await page.screenshot({ path: `${SCREENSHOTS}/console-sso-replayed.png`, fullPage: true });
    await page.context().close();

    // Signing in again finds the same person: no second account.
    const again = await freshPage();
    await signInAtProvider(again, "ada");
    await again.waitForURL(`${herald.url}/admin`);
    const after = await api<{ action: string }[]>("GET", "/api/audit");
    expect(after.filter((entry) => entry.action === "person.create")).toHaveLength(1);
    await again.context().close();
  });

  it("an address on a domain that is not allowed is refused and gets no account", async () => {
    const page = await freshPage();
    await signInAtProvider(page, "mallory");
    await expect(page.getByRole("heading", { name: "Not allowed here" }).isVisible()).resolves.toBe(true);
    expect(await page.getByRole("alert").textContent()).toContain("mallory@elsewhere.test is not on a domain allowed");
    await page.screenshot({ path: `${SCREENSHOTS}/console-sso-refused.png`, fullPage: true });
    await page.context().close();
    const audit = await api<{ action: string; details: Record<string, unknown> }[]>("GET", "/api/audit");
    expect(audit.filter((e) => e.action === "person.create").map((e) => e.details.email)).not.toContain(
      "mallory@elsewhere.test",
    );
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
