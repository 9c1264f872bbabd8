import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AdminIncident } from "../../core/incidents/admin-incident.ts";
import { axeViolations } from "../helpers/axe.ts";
import { launchChromium } from "../helpers/browser.ts";
import { type HeraldProcess, startHeraldProcess } from "../helpers/herald-process.ts";

const SCREENSHOTS = "test-results/screenshots";
/** The folded forms this change added (a timed update's edit, the window's actions), opened to be checked and seen. */
const OUR_DETAILS =
  'section[aria-labelledby="scheduled-h"] details, section[aria-labelledby="window-h"] details, section[aria-labelledby="upcoming-h"] details';

let dataDir: string;
let herald: HeraldProcess;
let browser: Browser;
let adminToken: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "herald-console-scheduled-"));
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

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${herald.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${adminToken}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.ok, await response.clone().text()).toBe(true);
  return (await response.json()) as T;
}

/** `YYYY-MM-DDTHH:MM` in UTC, as the console's datetime-local fields take it. */
const utcInput = (date: Date) => date.toISOString().slice(0, 16);

describe("timed updates and maintenance windows, in Chromium", () => {
  it("schedules an update at a time and sees it listed; the changed screens pass axe, light and dark", async () => {
    const incident = await api<AdminIncident>("POST", "/api/incidents", {
      name: "Elevated search latency",
      deliver_notifications: false,
    });
    const hour = 3_600_000;
    const maintenance = await api<AdminIncident>("POST", "/api/incidents", {
      kind: "maintenance",
      name: "Database upgrade",
      scheduled_for: new Date(Date.now() + 24 * hour).toISOString(),
      scheduled_until: new Date(Date.now() + 26 * hour).toISOString(),
      deliver_notifications: false,
    });

    const signedIn = await browser.newContext();
    const page = await signedIn.newPage();
    await page.goto(`${herald.url}/admin`);
    await page.getByLabel("API token").fill(adminToken);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL(`${herald.url}/admin`);

    await page.goto(`${herald.url}/admin/incidents/${incident.id}`);
    const form = page.getByRole("form", { name: "Post an update" });
    await form.getByLabel("Status").selectOption("monitoring");
    await form.getByLabel("Message").fill("A fix is rolling out; we expect recovery within the hour.");
    await form.getByLabel("At a time").check();
    await form.getByLabel("Publish at (UTC)").fill(utcInput(new Date(Date.now() + 2 * hour)));
    await form.getByRole("button", { name: "Post update" }).click();
    await page.waitForURL(/done=timed/);
    const scheduled = page.getByRole("region", { name: "Scheduled updates" });
    await expect.poll(() => scheduled.textContent()).toContain("A fix is rolling out");

    // An incident opened at a time, from the Open incident screen: on the dashboard, not on the page.
    await page.goto(`${herald.url}/admin/incidents/new`);
    const open = page.getByRole("form", { name: "Open incident" });
    await open.getByLabel("Name").fill("Planned failover to the standby region");
    await open.getByLabel("Message", { exact: true }).fill("We are moving traffic to the standby region.");
    // Preview first: the page's text and the mail subscribers would get, nothing written.
    await open.getByRole("button", { name: "Preview" }).click();
    const mail = page.getByRole("region", { name: "Preview: the mail subscribers get" });
    expect(await mail.textContent()).toContain("[Investigating] Planned failover to the standby region");
    await page.screenshot({ path: `${SCREENSHOTS}/console-open-incident-mail-preview.png`, fullPage: true });
    await open.getByLabel("At a time").check();
    await open.getByLabel("Publish at (UTC)").fill(utcInput(new Date(Date.now() + 3 * hour)));
    await open.getByRole("button", { name: "Publish incident" }).click();
    await page.waitForURL(/done=opening-scheduled/);
    const upcoming = page.getByRole("region", { name: "Scheduled updates" });
    expect(await upcoming.textContent()).toContain("Elevated search latency");
    expect(await upcoming.textContent()).toContain("Planned failover to the standby region");
    const publicPage = await (await fetch(`${herald.url}/`)).text();
    expect(publicPage).not.toContain("Planned failover");
    const state = await signedIn.storageState();
    await signedIn.close();

    const screens = {
      dashboard: "/admin",
      incident: `/admin/incidents/${incident.id}`,
      "maintenance-window": `/admin/incidents/${maintenance.id}`,
      "schedule-maintenance": "/admin/maintenance/new",
      "open-incident": "/admin/incidents/new",
    };
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
        const view = await context.newPage();
        for (const [name, path] of Object.entries(screens)) {
          await view.goto(`${herald.url}${path}`);
          for (const details of await view.locator(OUR_DETAILS).all())
            await details.evaluate((d) => d.setAttribute("open", ""));
          if (size === "desktop") expect(await axeViolations(view), `${name} (${colorScheme})`).toEqual([]);
          const overflow = await view.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          expect(overflow, `${name} (${size}) scrolls sideways`).toBeLessThanOrEqual(0);
          await view.screenshot({
            path: `${SCREENSHOTS}/console-scheduled-${name}-${colorScheme}-${size}.png`,
            fullPage: true,
          });
        }
        await context.close();
      }
    }
  }, 300_000);
});
