import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { V2Component } from "../../core/public/statuspage.ts";
import { axeViolations } from "../helpers/axe.ts";
import { launchChromium } from "../helpers/browser.ts";
import { type HeraldProcess, startHeraldProcess } from "../helpers/herald-process.ts";

const SCREENSHOTS = "test-results/screenshots";

let dataDir: string;
let herald: HeraldProcess;
let browser: Browser;
let adminToken: string;
let incidentId = "";

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "herald-console-"));
  herald = await startHeraldProcess(dataDir);
  adminToken = herald.printedToken ?? "";
  browser = await launchChromium();
  await mkdir(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await herald?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

async function api<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${herald.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${adminToken}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
}

async function signIn(context: BrowserContext, token: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${herald.url}/admin`);
  await page.getByLabel("API token").fill(token);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL(`${herald.url}/admin`);
  return page;
}

/** Reads a public page until `accept` holds (a render follows each change within moments). */
async function publicText(path: string, accept: (text: string) => boolean): Promise<string> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const text = await (await fetch(`${herald.url}${path}`)).text();
    if (accept(text)) return text;
    if (Date.now() > deadline) throw new Error(`${path} never showed what was expected:\n${text.slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function sessionCookie(context: BrowserContext): Promise<string> {
  const cookie = (await context.cookies(`${herald.url}/admin`)).find((c) => c.name === "herald_console");
  if (!cookie) throw new Error("no console session cookie");
  expect(cookie.httpOnly).toBe(true);
  expect(cookie.sameSite).toBe("Strict");
  return `${cookie.name}=${cookie.value}`;
}

async function incidentCount(): Promise<number> {
  return (await api<unknown[]>("GET", "/api/incidents")).body.length;
}

describe("the console, in Chromium against the built Herald", () => {
  it("from the printed admin token: open an incident, post an update, resolve it, each on the public page", async () => {
    expect(adminToken).toMatch(/^hrld_/);
    const context = await browser.newContext();
    const signInStarted = Date.now();
    const page = await signIn(context, adminToken);

    await page.getByRole("link", { name: "Open incident" }).first().click();
    await page.getByLabel("Name").fill("Checkout payments failing");
    await page.getByLabel("Message").fill("We are investigating failed **card payments** at checkout.");
    await page.getByRole("combobox", { name: /^API\b/ }).selectOption("partial_outage");
    await page.getByRole("button", { name: "Publish incident" }).click();
    await page.waitForURL(/\/admin\/incidents\/\w+\?done=opened/);
    incidentId = /incidents\/(\w+)/.exec(page.url())?.[1] ?? "";
    await publicText("/", (t) => t.includes("Checkout payments failing"));
    const seconds = (Date.now() - signInStarted) / 1000;
    console.log(`console: sign-in to published first update: ${seconds.toFixed(1)} s`);
    // biome-ignore lint/performance/useDomNodeTextContent: innerText is what a reader sees.
    expect(await page.getByRole("status").innerText()).toContain("Incident opened");

    await page.getByLabel("Status", { exact: true }).selectOption("identified");
    await page
      .locator("#update-body")
      .fill("The payment provider's **EU endpoint** is timing out; we are failing over.");
    await page.getByRole("button", { name: "Post update" }).click();
    await page.waitForURL(/done=posted/);
    await publicText(`/incidents/${incidentId}/`, (t) => t.includes("EU endpoint") && t.includes("Identified"));

    await page.getByRole("button", { name: "Resolve incident" }).click();
    await page.waitForURL(/done=resolved/);
    const incidentPage = await publicText(`/incidents/${incidentId}/`, (t) =>
      t.includes("This incident has been resolved."),
    );
    expect(incidentPage).toContain("Resolved");
    await publicText("/", (t) => t.includes("All Systems Operational"));
    await context.close();
  });

  it("the live preview is exactly the sanitized HTML the page stores, and previewing writes nothing", async () => {
    const context = await browser.newContext();
    const page = await signIn(context, adminToken);
    await page.goto(`${herald.url}/admin/incidents/${incidentId}`);
    const before = await api<{ incident_updates: unknown[] }>("GET", `/api/incidents/${incidentId}`);
    const markdown =
      "Done **at last**. <script>alert(1)</script> [docs](https://example.com/a b) ![x](javascript:alert(1))";
    await page.locator("#pm-body").fill(markdown);
    const preview = page.locator("#pm-body-preview");
    await expect.poll(() => preview.innerHTML(), { timeout: 5000 }).toContain("<strong>at last</strong>");
    const previewHtml = (await preview.innerHTML()).trim();
    expect(previewHtml).not.toContain("<script");
    const after = await api<{ incident_updates: unknown[]; postmortem_body: string | null }>(
      "GET",
      `/api/incidents/${incidentId}`,
    );
    expect(after.body.incident_updates).toHaveLength(before.body.incident_updates.length);
    expect(after.body.postmortem_body).toBeNull();

    await page.getByRole("button", { name: "Publish postmortem" }).click();
    await page.waitForURL(/done=postmortem/);
    const publicPage = await publicText(`/incidents/${incidentId}/`, (t) => t.includes("at last"));
    expect(publicPage).toContain(previewHtml);
    await context.close();
  });

  it("a form posted without its CSRF token, or from a foreign origin, is refused and changes nothing", async () => {
    const context = await browser.newContext();
    const page = await signIn(context, adminToken);
    const cookie = await sessionCookie(context);
    const csrf = (await page.locator('meta[name="csrf-token"]').getAttribute("content")) ?? "";
    const count = await incidentCount();
    const post = (origin: string, fields: Record<string, string>) =>
      fetch(`${herald.url}/admin/incidents/new`, {
        method: "POST",
        redirect: "manual",
        headers: { Cookie: cookie, Origin: origin, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ name: "Forged incident", body: "forged", ...fields }),
      });

    const withoutToken = await post(herald.url, {});
    expect(withoutToken.status).toBe(403);
    expect(await withoutToken.text()).toContain("security token");
    const foreign = await post("https://attacker.example", { _csrf: csrf });
    expect(foreign.status).toBe(403);
    expect(await foreign.text()).toContain("another site");
    expect(await incidentCount()).toBe(count);

    // The same request with both is accepted: the refusals were the checks, not the request.
    const genuine = await post(herald.url, { _csrf: csrf });
    expect(genuine.status).toBe(303);
    expect(await incidentCount()).toBe(count + 1);
    await context.close();
  });

  it("a viewer's session sees every screen and can change nothing", async () => {
    const viewer = await api<{ token: string }>("POST", "/api/tokens", { name: "Support desk", role: "viewer" });
    const context = await browser.newContext();
    const page = await signIn(context, viewer.body.token);
    // biome-ignore lint/performance/useDomNodeTextContent: innerText is what a reader sees.
    expect(await page.locator("main").innerText()).toMatch(/viewer token: you can see everything and change nothing/);
    expect(await page.getByRole("button", { name: /Operational/ }).count()).toBe(0);
    for (const path of [
      "/admin/incidents",
      `/admin/incidents/${incidentId}`,
      "/admin/components",
      "/admin/subscribers",
      "/admin/audit",
    ]) {
      const response = await page.goto(`${herald.url}${path}`);
      expect(response?.status(), path).toBe(200);
    }
    expect((await page.goto(`${herald.url}/admin/tokens`))?.status()).toBe(403);

    const components = await api<V2Component[]>("GET", "/api/components");
    const target = components.body.find((c) => !c.group);
    const count = await incidentCount();
    // Forms the viewer does not see, posted anyway with its own valid session and token.
    const statuses = await page.evaluate(
      async ({ componentId }) => {
        const csrf = document.querySelector('meta[name="csrf-token"]')?.getAttribute("content") ?? "";
        const send = async (path: string, fields: Record<string, string>) =>
          (await fetch(path, { method: "POST", body: new URLSearchParams({ _csrf: csrf, ...fields }) })).status;
        return [
          await send(`/admin/components/${componentId}/status`, { status: "major_outage" }),
          await send("/admin/incidents/new", { name: "Viewer incident" }),
          await send("/admin/tokens", { name: "escalate", role: "admin" }),
        ];
      },
      { componentId: target?.id ?? "" },
    );
    expect(statuses).toEqual([403, 403, 403]);
    const after = await api<V2Component[]>("GET", `/api/components/${target?.id}`);
    expect(after.body).toMatchObject({ status: target?.status });
    expect(await incidentCount()).toBe(count);
    await context.close();
  });

  it("revoking a token ends its console sessions at once; signing out ends a session for good", async () => {
    const commander = await api<{ id: string; token: string }>("POST", "/api/tokens", {
      name: "On-call laptop",
      role: "commander",
    });
    const theirs = await browser.newContext();
    const theirPage = await signIn(theirs, commander.body.token);
    // biome-ignore lint/performance/useDomNodeTextContent: innerText is what a reader sees.
    expect(await theirPage.locator("h1").innerText()).toBe("Dashboard");

    const admin = await browser.newContext();
    const adminPage = await signIn(admin, adminToken);
    await adminPage.goto(`${herald.url}/admin/tokens`);
    // Two steps, without JavaScript too: "Revoke…" shows what will happen, then the real button.
    await adminPage.locator("form[aria-label='Revoke On-call laptop'] summary").click();
    await adminPage.screenshot({ path: `${SCREENSHOTS}/console-confirm-step.png` });
    await adminPage.locator("form[aria-label='Revoke On-call laptop'] button").click();
    await adminPage.waitForURL(/done=revoked/);

    await theirPage.goto(`${herald.url}/admin/components`);
    expect(new URL(theirPage.url()).pathname).toBe("/admin/sign-in");

    const cookie = await sessionCookie(admin);
    await adminPage.getByRole("button", { name: "Sign out" }).click();
    await adminPage.waitForURL(/sign-in\?done=signed-out/);
    const replayed = await fetch(`${herald.url}/admin`, { headers: { Cookie: cookie }, redirect: "manual" });
    expect(replayed.status).toBe(303);
    expect(replayed.headers.get("Location")).toMatch(/^\/admin\/sign-in/);
    await theirs.close();
    await admin.close();
  });

  it("axe-core finds no violations on any console screen in light and dark, and none scrolls sideways at 360 px", async () => {
    const screens: Record<string, string> = {
      "sign-in": "/admin/sign-in",
      dashboard: "/admin",
      "open-incident": "/admin/incidents/new",
      incident: `/admin/incidents/${incidentId}`,
      incidents: "/admin/incidents",
      maintenance: "/admin/maintenance",
      "schedule-maintenance": "/admin/maintenance/new",
      components: "/admin/components",
      subscribers: "/admin/subscribers",
      audit: "/admin/audit",
      tokens: "/admin/tokens",
    };
    const signedIn = await browser.newContext();
    await signIn(signedIn, adminToken);
    const state = await signedIn.storageState();
    await signedIn.close();
    for (const colorScheme of ["light", "dark"] as const) {
      for (const [size, width] of [
        ["desktop", 1280],
        ["phone", 360],
      ] as const) {
        // axe is injected as a script, which the console's own policy would rightly refuse.
        const context = await browser.newContext({
          colorScheme,
          bypassCSP: true,
          viewport: { width, height: 900 },
          storageState: state,
        });
        const page = await context.newPage();
        for (const [name, path] of Object.entries(screens)) {
          if (name === "sign-in") await context.clearCookies();
          await page.goto(`${herald.url}${path}`);
          if (size === "desktop") expect(await axeViolations(page), `${name} (${colorScheme})`).toEqual([]);
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          expect(overflow, `${name} (${size}) scrolls sideways`).toBeLessThanOrEqual(0);
          await page.screenshot({ path: `${SCREENSHOTS}/console-${name}-${colorScheme}-${size}.png`, fullPage: true });
          if (name === "sign-in") await context.addCookies(state.cookies);
        }
        await context.close();
      }
    }
  }, 300_000);

  it("wrong tokens at sign-in are limited per address, as for the API", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    let status = 0;
    for (let attempt = 0; attempt < 25 && status !== 429; attempt++) {
      const response = await fetch(`${herald.url}/admin/sign-in`, {
        method: "POST",
        redirect: "manual",
        headers: { Origin: herald.url, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ token: `hrld_wrong${attempt}` }),
      });
      status = response.status;
      if (status !== 429) expect(status).toBe(401);
    }
    expect(status).toBe(429);
    // Even the right token waits out the window: a guess that succeeds must look like one that fails.
    await page.goto(`${herald.url}/admin/sign-in`);
    await page.getByLabel("API token").fill(adminToken);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    // biome-ignore lint/performance/useDomNodeTextContent: innerText is what a reader sees.
    expect(await page.getByRole("alert").innerText()).toMatch(/Too many wrong tokens/);
    await context.close();
  });
});
