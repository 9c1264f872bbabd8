import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
  dataDir = await mkdtemp(join(tmpdir(), "herald-console-templates-"));
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

describe("the console's templates and page settings, in Chromium against the built Herald", () => {
  it("opens an incident from a template with variables, previewed as typed, and finds it on the public page", async () => {
    const context = await browser.newContext();
    const signInStarted = Date.now();
    const page = await signIn(context, adminToken);
    page.setDefaultTimeout(8000);

    await page.getByRole("link", { name: "Open incident" }).first().click();
    await page.getByRole("combobox", { name: "Template", exact: true }).selectOption("partial-outage");
    await page.waitForURL(/template=partial-outage/);
    const preview = page.locator("#open-preview");
    // The scenario sets the components it names: until one is chosen the preview asks for it.
    await expect.poll(() => preview.textContent()).toContain("Choose the affected components to see the preview.");
    await page.getByLabel("Who").fill("customers in Europe");
    await page.getByLabel("Symptoms").fill("failed card payments");
    const api = page.getByRole("combobox", { name: /^API\b/ });
    await api.selectOption("partial_outage");
    await expect
      .poll(() => preview.textContent())
      .toContain("Part of API is not working: customers in Europe may see failed card payments.");
    await page.getByRole("button", { name: "Publish incident" }).click();
    await page.waitForURL(/\/admin\/incidents\/\w+\?done=opened/);
    incidentId = /incidents\/(\w+)/.exec(page.url())?.[1] ?? "";
    const home = await publicText("/", (t) => t.includes("Partial outage: API"));
    const seconds = (Date.now() - signInStarted) / 1000;
    console.log(`console: sign-in to published first update from a template: ${seconds.toFixed(1)} s`);
    expect(home).toContain("customers in Europe may see failed card payments");

    // An update from the "resolved" template: its choice is a radio; the preview says it.
    await page.getByRole("combobox", { name: "Template", exact: true }).selectOption("resolved");
    await page.waitForURL(/template=resolved/);
    await page.getByLabel("What happened (required)").fill("a bad deploy was rolled back");
    await page.getByRole("radio", { name: "Yes" }).check();
    const updatePreview = page.locator("#update-preview");
    await expect.poll(() => updatePreview.textContent()).toContain("Some customer data was lost.");
    await page.getByRole("radio", { name: "No", exact: true }).check();
    await expect.poll(() => updatePreview.textContent()).toContain("No customer data was lost.");
    await page.getByRole("button", { name: "Post update" }).click();
    await page.waitForURL(/done=resolved/);
    await publicText(`/incidents/${incidentId}/`, (t) => t.includes("No customer data was lost."));
    await context.close();
  });

  it("the fastest path (n, Major outage, Ctrl+Enter) asks for the components, then publishes what the page shows", async () => {
    const context = await browser.newContext();
    const page = await signIn(context, adminToken);
    page.setDefaultTimeout(8000);
    await page.keyboard.press("n");
    await page.waitForURL(/\/admin\/incidents\/new$/);
    await page.getByRole("combobox", { name: "Template", exact: true }).selectOption("major-outage");
    await page.waitForURL(/template=major-outage/);
    await page.getByLabel("Name").focus();
    await page.keyboard.press("Control+Enter");
    await page.waitForLoadState();
    await expect.poll(() => page.locator("#open-components-error").textContent()).toContain("major outage");
    const home = await (await fetch(`${herald.url}/`)).text();
    expect(home).not.toContain("our service");

    await page.getByRole("combobox", { name: /^Website\b/ }).selectOption("major_outage");
    await page.getByLabel("Name").focus();
    await page.keyboard.press("Control+Enter");
    await page.waitForURL(/\/admin\/incidents\/\w+\?done=opened/);
    const published = await publicText("/", (t) => t.includes("Major outage: Website"));
    expect(published).not.toContain("our service");
    await context.close();
  });

  it("a page settings change reaches the public page's name", async () => {
    const context = await browser.newContext();
    const page = await signIn(context, adminToken);
    await page.getByRole("link", { name: "Page settings" }).click();
    await page.getByLabel("Brand colour").fill("#ffcc00");
    await page.getByRole("button", { name: "Save settings" }).click();
    // biome-ignore lint/performance/useDomNodeTextContent: innerText is what a reader sees.
    expect(await page.locator("#s-brand_color-error").innerText()).toMatch(/contrast of 1\.\d+:1/);
    await page.getByLabel("Brand colour").fill("#0b57d0");
    await page.getByLabel("Name", { exact: true }).fill("Globex Status");
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.waitForURL(/done=settings/);
    // biome-ignore lint/performance/useDomNodeTextContent: innerText is what a reader sees.
    expect(await page.getByRole("status").innerText()).toContain("re-rendering");
    await publicText("/", (t) => t.includes("<title>Globex Status") || t.includes(">Globex Status<"));
    await context.close();
  });

  it("axe-core finds no violations on the new screens in light and dark, and none scrolls sideways at 360 px", async () => {
    const listed = (await (await fetch(`${herald.url}/api/v2/components.json`)).json()) as {
      components: { id: string; name: string }[];
    };
    const apiId = listed.components.find((c) => c.name === "API")?.id ?? "";
    const open = await fetch(`${herald.url}/api/incidents`, {
      method: "POST",
      headers: { Authorization: `Bearer ${adminToken}`, "Content-Type": "application/json" },
      // The template's text names the affected components: a post from it names one.
      body: JSON.stringify({
        template: "investigating",
        variables: { summary: "Slow dashboards" },
        components: { [apiId]: "degraded_performance" },
      }),
    });
    expect(open.status).toBe(201);
    const openId = ((await open.json()) as { id: string }).id;
    const screens: Record<string, string> = {
      "open-from-template": "/admin/incidents/new?template=partial-outage",
      "update-from-template": `/admin/incidents/${openId}?template=monitoring`,
      "maintenance-from-template": "/admin/maintenance/new?template=maintenance-scheduled",
      templates: "/admin/templates",
      "template-edit": "/admin/templates/resolved",
      "template-new": "/admin/templates/new",
      "page-settings": "/admin/settings",
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
          await page.goto(`${herald.url}${path}`);
          if (size === "desktop") expect(await axeViolations(page), `${name} (${colorScheme})`).toEqual([]);
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          expect(overflow, `${name} (${size}) scrolls sideways`).toBeLessThanOrEqual(0);
          await page.screenshot({ path: `${SCREENSHOTS}/console-${name}-${colorScheme}-${size}.png`, fullPage: true });
        }
        // An edit previewed as typed, before it is saved.
        await page.goto(`${herald.url}/admin/templates/resolved`);
        await page
          .getByRole("textbox", { name: "Body", exact: true })
          .fill("Fixed **for everyone** on {{components}}.");
        await page.getByRole("button", { name: "Preview without saving" }).click();
        const preview = page.getByRole("region", { name: "Preview", exact: true });
        // biome-ignore lint/performance/useDomNodeTextContent: innerText is what a reader sees.
        expect(await preview.innerText()).toContain("As typed, not saved yet");
        expect(await preview.locator("strong", { hasText: /^for everyone$/ }).count()).toBe(1);
        if (size === "desktop") expect(await axeViolations(page), `template draft (${colorScheme})`).toEqual([]);
        await page.screenshot({
          path: `${SCREENSHOTS}/console-template-draft-${colorScheme}-${size}.png`,
          fullPage: true,
        });
        await context.close();
      }
    }
  }, 300_000);
});
