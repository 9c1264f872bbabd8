import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeViolations } from "../helpers/axe.ts";
import { launchChromium } from "../helpers/browser.ts";
import { heraldJson, runHerald } from "../helpers/herald-cli.ts";
import { type HeraldProcess, startHeraldProcess } from "../helpers/herald-process.ts";

/** Screenshots a person looks at before calling the review screen done. */
const SCREENSHOTS = process.env.HERALD_SCREENSHOTS ?? "test-results/screenshots/console-review";
const HOUR = 3_600_000;
const MINUTE = 60_000;

let dataDir: string;
let herald: HeraldProcess;
let browser: Browser;
let adminToken: string;

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

const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "herald-console-review-"));
  herald = await startHeraldProcess(dataDir);
  adminToken = herald.printedToken ?? "";
  browser = await launchChromium();
  await mkdir(SCREENSHOTS, { recursive: true });
  const startDate = ago(120 * 24 * HOUR).slice(0, 10);
  const apiComponent = await api<{ id: string }>("POST", "/api/components", {
    name: "Payments",
    start_date: startDate,
  });
  const web = await api<{ id: string }>("POST", "/api/components", { name: "Storefront", start_date: startDate });
  // A history: incidents over the last weeks, some told late, one still open with a lapsed promise.
  const history = [
    {
      name: "Checkout errors",
      daysAgo: 2,
      firstPost: 25,
      lasts: 95,
      component: apiComponent.id,
      status: "major_outage",
    },
    { name: "Slow search", daysAgo: 4, firstPost: 5, lasts: 40, component: web.id, status: "degraded_performance" },
    {
      name: "Login failures",
      daysAgo: 9,
      firstPost: 12,
      lasts: 180,
      component: apiComponent.id,
      status: "partial_outage",
    },
    {
      name: "Image uploads failing",
      daysAgo: 20,
      firstPost: 48,
      lasts: 300,
      component: web.id,
      status: "partial_outage",
    },
  ];
  for (const h of history) {
    const start = Date.now() - h.daysAgo * 24 * HOUR;
    await api("POST", "/api/incidents/backfill", {
      name: h.name,
      started_at: new Date(start).toISOString(),
      resolved_at: new Date(start + h.lasts * MINUTE).toISOString(),
      components: { [h.component]: h.status },
      updates: [
        {
          status: "investigating",
          body: "We are looking into it.",
          display_at: new Date(start + h.firstPost * MINUTE).toISOString(),
        },
        {
          status: "identified",
          body: "Found it.",
          display_at: new Date(start + (h.firstPost + 20) * MINUTE).toISOString(),
        },
      ],
    });
  }
  await api("POST", "/api/incidents", {
    name: "Webhooks delayed",
    status: "investigating",
    body: "Deliveries are late.",
    components: { [apiComponent.id]: "degraded_performance" },
    display_at: ago(50 * MINUTE),
    next_update_in_minutes: 15,
  });
});

afterAll(async () => {
  await browser?.close();
  await herald?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

async function signedIn(colorScheme: "light" | "dark", width = 1280): Promise<Page> {
  const page = await browser.newPage({ colorScheme, viewport: { width, height: 900 }, bypassCSP: true });
  await page.goto(`${herald.url}/admin/sign-in`);
  await page.getByLabel("API token").fill(adminToken);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL(`${herald.url}/admin`);
  return page;
}

async function cellOf(page: Page, figure: string): Promise<string> {
  const cell = page.locator("tr", { has: page.locator(`th:text-is("${figure}")`) }).locator("td");
  // biome-ignore lint/performance/useDomNodeTextContent: innerText is what a reader sees.
  return (await cell.first().innerText()).trim();
}

describe("the reliability review screen", () => {
  it("shows last week's figures with their trend, charts with tables, and links every figure to its incidents", async () => {
    const page = await signedIn("light");
    await page.getByRole("link", { name: "Review" }).click();
    await page.waitForURL(`${herald.url}/admin/review`);
    expect(await cellOf(page, "Incidents")).toBe("3");
    expect(await cellOf(page, "Time to first post, worst")).toBe("25 min");
    expect(await cellOf(page, "Promised updates late")).toBe("1");
    await expect(page.locator("figure.chart svg[role=img]").count()).resolves.toBe(3);
    await expect(page.locator("details.chart-table table").count()).resolves.toBe(3);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}/review-week-light-1280.png`, fullPage: true });

    await page.getByRole("link", { name: "Last quarter (90 days)" }).click();
    expect(await cellOf(page, "Incidents")).toBe("5");
    await page.screenshot({ path: `${SCREENSHOTS}/review-quarter-light-1280.png`, fullPage: true });

    await page
      .locator("tr", { has: page.locator('th:text-is("Incidents")') })
      .getByRole("link")
      .click();
    await page.waitForURL(/\/admin\/review\/incidents\?/);
    const listed = await page.locator(".list a").allInnerTexts();
    expect(listed.sort()).toEqual(
      ["Checkout errors", "Image uploads failing", "Login failures", "Slow search", "Webhooks delayed"].sort(),
    );
    expect(await axeViolations(page)).toEqual([]);
  });

  it("reads in dark, narrows to a component, and its CSV says what the screen says", async () => {
    const page = await signedIn("dark");
    await page.goto(`${herald.url}/admin/review`);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}/review-week-dark-1280.png`, fullPage: true });
    await page.locator("#by-component-h").scrollIntoViewIfNeeded();
    await page.locator("section[aria-label='Figures per component']").getByRole("link", { name: "Storefront" }).click();
    expect(await cellOf(page, "Incidents")).toBe("1");
    await page.screenshot({ path: `${SCREENSHOTS}/review-website-dark-1280.png`, fullPage: true });
    const csvHref = await page.getByRole("link", { name: "Download CSV" }).getAttribute("href");
    const csv = await page.evaluate(async (href) => (await fetch(href ?? "")).text(), csvHref);
    expect(csv).toContain("Incidents,count,1,");
    const narrow = await signedIn("light", 420);
    await narrow.goto(`${herald.url}/admin/review`);
    expect(await axeViolations(narrow)).toEqual([]);
    await narrow.screenshot({ path: `${SCREENSHOTS}/review-week-light-420.png`, fullPage: true });
  });

  it("refuses a reversed period with a readable message", async () => {
    const page = await signedIn("light");
    const response = await page.goto(`${herald.url}/admin/review?from=2026-11-26&to=2026-11-01`);
    expect(response?.status()).toBe(422);
    // biome-ignore lint/performance/useDomNodeTextContent: innerText is what a reader sees.
    expect(await page.locator("main").innerText()).toContain("The period ends before it begins.");
  });

  it("herald review prints the same figures as text, CSV and JSON, and a bad day readably", async () => {
    const env = { HERALD_URL: herald.url, HERALD_TOKEN: adminToken };
    const text = await runHerald(["review"], env);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/Incidents\s+3\s+1/);
    expect(text.stdout).toMatch(/Time to first post, worst\s+25 min/);
    const csv = await runHerald(["review", "--csv"], env);
    expect(csv.stdout).toContain("Incidents,count,3,1");
    const json = await heraldJson<{ overall: { incidents: { count: number } } }>(["review"], env);
    expect(json.overall.incidents.count).toBe(3);
    const bad = await runHerald(["review", "--from", "2026-02-30x"], env);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("--from");
  });
});
