import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeViolations } from "../helpers/axe.ts";
import { launchChromium } from "../helpers/browser.ts";
import { type HeraldProcess, startHeraldProcess } from "../helpers/herald-process.ts";

/** Screenshots a person looks at before calling the Alerts screen done. */
const SCREENSHOTS = process.env.HERALD_SCREENSHOTS ?? "test-results/screenshots/console-alerts";

let dataDir: string;
let herald: HeraldProcess;
let browser: Browser;
let adminToken: string;

async function api<T>(method: string, path: string, body?: unknown, token = adminToken): Promise<T> {
  const response = await fetch(`${herald.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return (text ? JSON.parse(text) : null) as T;
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "herald-console-alerts-"));
  herald = await startHeraldProcess(dataDir);
  adminToken = herald.printedToken ?? "";
  browser = await launchChromium();
  await mkdir(SCREENSHOTS, { recursive: true });
  const prometheus = await api<{ token: string }>("POST", "/api/alert-sources", {
    name: "Prometheus",
    kind: "alertmanager",
  });
  await api("POST", "/api/alert-sources", { name: "Nightly backup", kind: "heartbeat", heartbeat_minutes: 1440 });
  const fixture = await readFile(new URL("../fixtures/alerts/alertmanager-v4.json", import.meta.url), "utf8");
  await api("POST", "/api/intake/prometheus", fixture, prometheus.token);
  await api("POST", "/api/intake/prometheus", "{not json", prometheus.token);
  await api("POST", "/api/intake/grafana", "{}", prometheus.token);
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

describe("the Alerts screen", () => {
  it("lists the sources and the intake log with what was done with each delivery", async () => {
    for (const [width, colorScheme] of [
      [1280, "light"],
      [375, "dark"],
    ] as const) {
      const page = await signedIn(width, colorScheme);
      await page.getByRole("link", { name: "Alerts" }).click();
      await page.waitForURL(`${herald.url}/admin/alerts`);
      await page.screenshot({ path: `${SCREENSHOTS}/alerts-${colorScheme}-${width}.png`, fullPage: true });
      // biome-ignore lint/performance/useDomNodeTextContent: innerText is what a reader sees.
      const text = await page.locator("main").innerText();
      expect(text).toContain("Prometheus");
      expect(text).toContain("/api/intake/nightly-backup");
      expect(text).toContain("1 alert (1 firing); 1 changed");
      expect(text).toContain("The body must be JSON");
      expect(text).toContain("unknown (grafana)");
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      if (width === 1280) expect(await axeViolations(page)).toEqual([]);
      await page.close();
    }
  });

  it("creates a source: its token and the configuration to paste are shown once; revoke refuses it", async () => {
    const page = await signedIn(1280, "light");
    await page.goto(`${herald.url}/admin/alerts`);
    await page.locator("#source-name").fill("Grafana");
    await page.locator("#source-kind").selectOption("grafana");
    await page.getByRole("button", { name: "Add source" }).click();
    const token = ((await page.locator("#new-secret").textContent()) ?? "").trim();
    expect(token).toMatch(/^hrld_/);
    expect(await page.locator("#sender-config").textContent()).toContain(`Credentials: ${token}`);
    await page.screenshot({ path: `${SCREENSHOTS}/alerts-created-light-1280.png`, fullPage: true });
    const grafana = await readFile(new URL("../fixtures/alerts/grafana.json", import.meta.url), "utf8");
    expect(
      (
        await fetch(`${herald.url}/api/intake/grafana`, {
          method: "POST",
          headers: { Authorization: `Bearer ${token}` },
          body: grafana,
        })
      ).status,
    ).toBe(202);

    await page.goto(`${herald.url}/admin/alerts?source=grafana`);
    // biome-ignore lint/performance/useDomNodeTextContent: innerText is what a reader sees.
    expect(await page.locator("table").innerText()).toContain("2 alerts (2 firing)");
    // Two steps, as every destructive form: "Revoke…" says what will happen, then the real button.
    await page.locator("form[aria-label='Revoke Grafana'] summary").click();
    await page.screenshot({ path: `${SCREENSHOTS}/alerts-revoke-step-light-1280.png` });
    await page.locator("form[aria-label='Revoke Grafana'] button").click();
    await page.waitForURL(/done=source-revoked/);
    expect(
      (
        await fetch(`${herald.url}/api/intake/grafana`, {
          method: "POST",
          headers: { Authorization: `Bearer ${token}` },
          body: grafana,
        })
      ).status,
    ).toBe(401);
    await page.close();
  });
});
