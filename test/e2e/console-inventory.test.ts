import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeViolations } from "../helpers/axe.ts";
import { launchChromium } from "../helpers/browser.ts";
import { type HeraldProcess, startHeraldProcess } from "../helpers/herald-process.ts";

/** Screenshots a person looks at before calling the inventory screens done. */
const SCREENSHOTS = process.env.HERALD_SCREENSHOTS ?? "test-results/screenshots/console-inventory";

let dataDir: string;
let herald: HeraldProcess;
let browser: Browser;
let adminToken: string;
const ids: Record<string, string> = {};

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${herald.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${adminToken}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "herald-console-inventory-"));
  herald = await startHeraldProcess(dataDir);
  adminToken = herald.printedToken ?? "";
  browser = await launchChromium();
  await mkdir(SCREENSHOTS, { recursive: true });
  const seed: [string, string, string | null, number][] = [
    ["Checkout", "production", "Platform team", 6],
    ["Storefront", "production", "Web team", 4],
    ["Invoicing", "production", null, 2],
    ["Search beta", "development", "Search team", 5],
    ["Recommendations", "development", "Data team", 1],
    ["Voice assistant", "prototype", null, 0],
  ];
  for (const [name, stage, team, ticked] of seed) {
    const { id } = await api<{ id: string }>("POST", "/api/components", { name });
    ids[name] = id;
    if (team) {
      await api("PATCH", `/api/components/${id}/inventory`, {
        owner_team: team,
        runbook_url: `https://wiki.example.com/runbooks/${id}`,
        repository_url: `https://git.example.com/${id}`,
        uptime_target: "99.9",
      });
    }
    const items = ["chk_repository", "chk_runbook", "chk_staging", "chk_alerts", "chk_on_call", "chk_backups"];
    for (const item of items.slice(0, ticked)) await api("PUT", `/api/components/${id}/checklist/${item}`);
    if (stage !== "production") await api("POST", `/api/components/${id}/stage`, { stage });
  }
});

afterAll(async () => {
  await browser?.close();
  await herald?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

async function signedIn(colorScheme: "light" | "dark", javaScriptEnabled = true, width = 1280): Promise<Page> {
  const page = await browser.newPage({
    colorScheme,
    viewport: { width, height: 900 },
    bypassCSP: true,
    javaScriptEnabled,
  });
  await page.goto(`${herald.url}/admin/sign-in`);
  await page.getByLabel("API token").fill(adminToken);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL(`${herald.url}/admin`);
  return page;
}

describe("the inventory screens", () => {
  for (const scheme of ["light", "dark"] as const) {
    it(`shows the board by stage and what is not ready, readable and accessible (${scheme})`, async () => {
      const page = await signedIn(scheme);
      await page.getByRole("link", { name: "Inventory" }).click();
      await page.waitForURL(`${herald.url}/admin/inventory`);
      const production = page.locator("section", {
        has: page.getByRole("heading", { name: "Production", exact: true }),
      });
      // biome-ignore lint/performance/useDomNodeTextContent: innerText is what a reader sees.
      const productionText = await production.innerText();
      expect(productionText).toContain("Checkout");
      expect(productionText).toContain("Checklist 6/6");
      expect(productionText).toContain("Team: Web team");
      // biome-ignore lint/performance/useDomNodeTextContent: innerText is what a reader sees.
      const notReady = await page.locator("#not-ready-h").locator("xpath=../..").innerText();
      expect(notReady).toContain("Invoicing");
      expect(notReady).toContain("Search beta");
      expect(notReady).not.toContain("Recommendations");
      expect(notReady).not.toContain("Checkout");
      await page.screenshot({ path: `${SCREENSHOTS}/inventory-board-${scheme}-1280.png`, fullPage: true });
      expect(await axeViolations(page)).toEqual([]);

      await page.goto(`${herald.url}/admin/inventory/${ids.Storefront}`);
      await page.screenshot({ path: `${SCREENSHOTS}/inventory-card-${scheme}-1280.png`, fullPage: true });
      expect(await axeViolations(page)).toEqual([]);
      await page.goto(`${herald.url}/admin/inventory/checklist`);
      await page.screenshot({ path: `${SCREENSHOTS}/inventory-checklist-${scheme}-1280.png`, fullPage: true });
      expect(await axeViolations(page)).toEqual([]);
      await page.close();
    });
  }

  it("asks for a reason when moving to production with unticked items, without JavaScript", async () => {
    const page = await signedIn("light", false);
    await page.goto(`${herald.url}/admin/inventory/${ids["Search beta"]}`);
    expect(await page.locator("#stage-reason").count()).toBe(0);
    await page.locator("#stage-to").selectOption("production");
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith("/stage")),
      page.getByRole("button", { name: "Move" }).click(),
    ]);
    expect(answer.status()).toBe(422);
    await expect.poll(() => page.locator("#stage-reason").count()).toBe(1);
    // biome-ignore lint/performance/useDomNodeTextContent: innerText is what a reader sees.
    expect(await page.locator("#stage-reason-help").innerText()).toContain("Backups restored and verified");
    await page.screenshot({ path: `${SCREENSHOTS}/inventory-reason-asked-light-1280.png`, fullPage: true });
    await page.locator("#stage-reason").fill("Beta customers depend on it; on-call starts Monday");
    await page.getByRole("button", { name: "Move" }).click();
    await page.waitForURL(/done=stage-moved/);
    // biome-ignore lint/performance/useDomNodeTextContent: innerText is what a reader sees.
    const text = await page.locator("main").innerText();
    expect(text).toContain("Development → Production");
    expect(text).toContain("Reason: Beta customers depend on it; on-call starts Monday");

    await page.getByRole("button", { name: /Tick Backups restored and verified/ }).click();
    await page.waitForURL(/done=saved/);
    // biome-ignore lint/performance/useDomNodeTextContent: innerText is what a reader sees.
    expect(await page.locator("#checklist-h").locator("xpath=../..").innerText()).toMatch(/Ticked by .+, /);
    await page.close();
  });

  it("refuses a javascript: link beside its field and keeps what was typed", async () => {
    const page = await signedIn("dark");
    // The refused move, as the screen answers it, checked for accessibility (axe needs scripts).
    await page.goto(`${herald.url}/admin/inventory/${ids.Recommendations}`);
    await page.locator("#stage-to").selectOption("production");
    await page.getByRole("button", { name: "Move" }).click();
    await expect.poll(() => page.locator("#stage-reason").count()).toBe(1);
    await page.screenshot({ path: `${SCREENSHOTS}/inventory-reason-asked-dark-1280.png`, fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    await page.goto(`${herald.url}/admin/inventory/${ids.Invoicing}`);
    await page.locator("#link-runbook_url").fill("javascript:alert(1)");
    await page.getByRole("button", { name: "Save links" }).click();
    // biome-ignore lint/performance/useDomNodeTextContent: innerText is what a reader sees.
    expect(await page.locator("#link-runbook_url-error").innerText()).toContain("http");
    expect(await page.locator("#link-runbook_url").inputValue()).toBe("javascript:alert(1)");
    await page.screenshot({ path: `${SCREENSHOTS}/inventory-link-refused-dark-1280.png`, fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });
});
