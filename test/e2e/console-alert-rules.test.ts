import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeViolations } from "../helpers/axe.ts";
import { launchChromium } from "../helpers/browser.ts";
import { type HeraldProcess, startHeraldProcess } from "../helpers/herald-process.ts";

/** Screenshots a person looks at before calling the rules screen done. */
const SCREENSHOTS = process.env.HERALD_SCREENSHOTS ?? "test-results/screenshots/console-alert-rules";

let dataDir: string;
let herald: HeraldProcess;
let browser: Browser;
let adminToken: string;
let fixture: string;
let prometheusToken: string;

async function api<T>(method: string, path: string, body?: unknown, token = adminToken): Promise<T> {
  const response = await fetch(`${herald.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return (text ? JSON.parse(text) : null) as T;
}

async function statusOnPage(name: string): Promise<string | undefined> {
  const summary = await api<{ components: { name: string; status: string }[] }>("GET", "/api/v2/summary.json");
  return summary.components.find((c) => c.name === name)?.status;
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "herald-console-alert-rules-"));
  herald = await startHeraldProcess(dataDir);
  adminToken = herald.printedToken ?? "";
  browser = await launchChromium();
  await mkdir(SCREENSHOTS, { recursive: true });
  await api("POST", "/api/components", { name: "API" });
  await api("POST", "/api/components", { name: "Website" });
  prometheusToken = (
    await api<{ token: string }>("POST", "/api/alert-sources", { name: "Prometheus", kind: "alertmanager" })
  ).token;
  fixture = await readFile(new URL("../fixtures/alerts/alertmanager-v4.json", import.meta.url), "utf8");
});

afterAll(async () => {
  await browser?.close();
  await herald?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

async function signedIn(width: number, colorScheme: "light" | "dark"): Promise<Page> {
  const page = await browser.newPage({ colorScheme, viewport: { width, height: 900 }, bypassCSP: true });
  await page.goto(`${herald.url}/admin/sign-in`);
  await page.getByLabel("API token").fill(adminToken);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL(`${herald.url}/admin`);
  return page;
}

describe("the alert rules screen", () => {
  it("adds a rule; Alertmanager's example alert then moves API on the page, and the screen shows the hold", async () => {
    const page = await signedIn(1280, "light");
    await page.goto(`${herald.url}/admin/alerts`);
    await page.getByRole("link", { name: "Rules" }).click();
    await page.waitForURL(`${herald.url}/admin/alerts/rules`);
    await page.locator("#rule-name").fill("Probe failures");
    await page.locator("#rule-matchers").fill('alertname=~"Probe.*"\nseverity=~"("');
    await page.getByLabel("API", { exact: true }).check();
    await page.getByRole("button", { name: "Add rule" }).click();
    // biome-ignore lint/performance/useDomNodeTextContent: innerText is what a reader sees.
    expect(await page.locator("#rule-matchers-error").innerText()).toContain('severity=~"(": the regular expression');
    await page.screenshot({ path: `${SCREENSHOTS}/rules-refused-light-1280.png`, fullPage: true });
    await page.locator("#rule-matchers").fill('alertname=~"Probe.*"');
    await page.getByRole("button", { name: "Add rule" }).click();
    await page.waitForURL(/done=rule-created/);

    const delivered = await fetch(`${herald.url}/api/intake/prometheus`, {
      method: "POST",
      headers: { Authorization: `Bearer ${prometheusToken}`, "Content-Type": "application/json" },
      body: fixture,
    });
    expect(delivered.status).toBe(202);
    // The runner evaluates the alert at once (an evaluate_alerts job), not at the next tick.
    const deadline = Date.now() + 10_000;
    while ((await statusOnPage("API")) !== "major_outage" && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    expect(await statusOnPage("API")).toBe("major_outage");
    expect(await statusOnPage("Website")).toBe("operational");

    await page.goto(`${herald.url}/admin/alerts/rules`);
    // biome-ignore lint/performance/useDomNodeTextContent: innerText is what a reader sees.
    const held = await page.locator("section[aria-labelledby='held-h']").innerText();
    expect(held).toContain("API");
    expect(held).toContain("back to operational when they resolve");
    await page.close();
  });

  it("tests a rule against a pasted payload, showing what it would do, and looks right in light and dark", async () => {
    for (const [width, colorScheme] of [
      [1280, "light"],
      [375, "dark"],
    ] as const) {
      const page = await signedIn(width, colorScheme);
      await page.goto(`${herald.url}/admin/alerts/rules`);
      await page.locator("#test-kind").selectOption("alertmanager");
      await page.locator("#test-payload").fill(fixture.replace("ProbeFailure", "ProbeTimeout"));
      await page.getByRole("button", { name: "Show what it would do" }).click();
      // biome-ignore lint/performance/useDomNodeTextContent: innerText is what a reader sees.
      const result = await page.locator("#rule-test-result").innerText();
      expect(result).toContain("matches");
      expect(result).toContain("already at major outage or worse");
      await page.screenshot({ path: `${SCREENSHOTS}/rules-${colorScheme}-${width}.png`, fullPage: true });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      if (width === 1280) expect(await axeViolations(page)).toEqual([]);
      await page.close();
    }
    expect(await statusOnPage("API")).toBe("major_outage");
  });
});
