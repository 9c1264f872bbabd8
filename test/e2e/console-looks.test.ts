import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../core/actions/clock.ts";
import { paths } from "../../core/public/paths.ts";
import { linkSigner } from "../../core/subscribers/signed-links.ts";
import { createDb, type Db } from "../../db/client.ts";
import { subscribers } from "../../db/schema.ts";
import { axeViolations } from "../helpers/axe.ts";
import { launchChromium } from "../helpers/browser.ts";
import { type HeraldProcess, startHeraldProcess } from "../helpers/herald-process.ts";

/** Screenshots a person looks at before calling the console done (light and dark, desktop and phone). */
const SCREENSHOTS = process.env.HERALD_SCREENSHOTS ?? "test-results/screenshots/console-looks";
const WIDTHS = [1280, 375] as const;
const SCHEMES = ["light", "dark"] as const;
const BRAND = "#8a2be2";
const LOGO = `data:image/svg+xml;base64,${Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="8" fill="#8a2be2"/><path d="M9 17l5 5 9-11" stroke="#fff" stroke-width="3" fill="none"/></svg>',
).toString("base64")}`;

let dataDir: string;
let herald: HeraldProcess;
let browser: Browser;
let db: Db;
let adminToken: string;
let viewerToken: string;
let incidentId: string;

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${herald.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${adminToken}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "herald-console-looks-"));
  herald = await startHeraldProcess(dataDir);
  adminToken = herald.printedToken ?? "";
  browser = await launchChromium();
  db = createDb({ url: `file:${join(dataDir, "herald.db")}` });
  await mkdir(SCREENSHOTS, { recursive: true });

  await api("PATCH", "/api/page", { name: "Acme Status", brand_color: BRAND, logo_url: LOGO });
  // A new Herald starts with a few example components; the board gets a long name too.
  const ids: Record<string, string> = {};
  for (const c of await api<{ id: string; name: string }[]>("GET", "/api/components")) ids[c.name] = c.id;
  for (const name of ["Payments processing", "Email delivery"]) {
    ids[name] = (await api<{ id: string }>("POST", "/api/components", { name })).id;
  }
  const [first, second] = Object.values(ids);
  const incident = await api<{ id: string }>("POST", "/api/incidents", {
    name: "Slow dashboard loads",
    status: "investigating",
    body: "Some dashboards load slowly. We are looking into it.",
    impact: "none",
    components: { [first ?? ""]: "degraded_performance" },
  });
  incidentId = incident.id;
  await api("POST", "/api/incidents", {
    kind: "maintenance",
    name: "Database upgrade",
    body: "We upgrade the primary database.",
    scheduled_for: new Date(Date.now() + 3 * 3600_000).toISOString(),
    scheduled_until: new Date(Date.now() + 4 * 3600_000).toISOString(),
    components: { [second ?? ""]: "under_maintenance" },
  });
  await api("POST", "/api/subscribers", { address: "jane.doe@example.com" });
  viewerToken = (
    await api<{ token: string }>("POST", "/api/tokens", { name: "Priya Raghunathan (support)", role: "viewer" })
  ).token;
});

afterAll(async () => {
  db?.$client.close();
  await browser?.close();
  await herald?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

async function signedIn(token: string, width: number, colorScheme: "light" | "dark"): Promise<Page> {
  const page = await browser.newPage({ colorScheme, viewport: { width, height: 900 }, bypassCSP: true });
  await page.goto(`${herald.url}/admin/sign-in`);
  await page.getByLabel("API token").fill(token);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL(`${herald.url}/admin`);
  return page;
}

/** Whether anything sticks out sideways: the reader would have to scroll the whole page to see it. */
const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

/** Elements whose text is clipped (an ellipsis or hidden overflow): what the reader cannot read. */
function clipped(page: Page, selector: string): Promise<string[]> {
  return page.$$eval(selector, (elements) =>
    elements.filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.textContent ?? ""),
  );
}

/** Whether every element of `selector` is fully inside the viewport's width. */
function outside(page: Page, selector: string): Promise<string[]> {
  return page.$$eval(selector, (elements) =>
    elements
      .filter((e) => {
        const box = e.getBoundingClientRect();
        return box.left < 0 || box.right > window.innerWidth;
      })
      .map((e) => e.textContent ?? ""),
  );
}

describe("the console's looks", () => {
  it("dashboard: each component's status buttons on one row at 1280 px, nothing cut at 375 px", async () => {
    for (const colorScheme of SCHEMES) {
      for (const width of WIDTHS) {
        const page = await signedIn(adminToken, width, colorScheme);
        await page.screenshot({ path: `${SCREENSHOTS}/dashboard-${colorScheme}-${width}.png`, fullPage: true });
        expect.soft(await pageWidth(page)).toBeLessThanOrEqual(width);
        expect.soft(await clipped(page, ".who strong, .brand")).toEqual([]);
        expect.soft(await outside(page, ".side a, .who, .who button")).toEqual([]);
        if (width === 1280 && colorScheme === "light") {
          await page.keyboard.press("n");
          await page.waitForURL(`${herald.url}/admin/incidents/new`);
          await page.goBack();
        }
        if (width === 1280) {
          const rows = await page.$$eval(".board fieldset.seg", (sets) =>
            sets.map(
              (set) => new Set([...set.querySelectorAll("button")].map((b) => b.getBoundingClientRect().top)).size,
            ),
          );
          expect.soft(rows.length).toBeGreaterThanOrEqual(5);
          expect.soft(rows).toEqual(rows.map(() => 1));
        }
        await page.close();
      }
    }
  });

  it("an incident as a viewer: read-only, no impact said once, nothing cut (screenshots)", async () => {
    for (const colorScheme of SCHEMES) {
      for (const width of WIDTHS) {
        const page = await signedIn(viewerToken, width, colorScheme);
        await page.goto(`${herald.url}/admin/incidents/${incidentId}`);
        await page.screenshot({ path: `${SCREENSHOTS}/incident-viewer-${colorScheme}-${width}.png`, fullPage: true });
        // biome-ignore lint/performance/useDomNodeTextContent: innerText is what a reader sees.
        const text = await page.locator("main").innerText();
        expect.soft(text).toContain("No impact");
        expect.soft(text).not.toContain("No impact impact");
        expect.soft(await page.locator("main form").count()).toBe(0);
        if (width === 1280) expect.soft(await axeViolations(page), `incident ${colorScheme}`).toEqual([]);
        // The "n" shortcut opens an incident only for a role that may: a viewer stays where it is.
        await page.keyboard.press("n");
        await page.waitForTimeout(300);
        expect.soft(new URL(page.url()).pathname).toBe(`/admin/incidents/${incidentId}`);
        expect.soft(await pageWidth(page)).toBeLessThanOrEqual(width);
        expect.soft(await clipped(page, ".who strong")).toEqual([]);
        expect.soft(await outside(page, ".side a, .who")).toEqual([]);
        await page.close();
      }
    }
  });

  it("the viewer's subscribers, settings and template screens: masked addresses, settings and template as text, nothing cut (screenshots)", async () => {
    for (const colorScheme of SCHEMES) {
      for (const width of WIDTHS) {
        const page = await signedIn(viewerToken, width, colorScheme);
        for (const screen of ["subscribers", "settings", "templates/resolved"]) {
          await page.goto(`${herald.url}/admin/${screen}`);
          await page.screenshot({
            path: `${SCREENSHOTS}/${screen.replace("/", "-")}-viewer-${colorScheme}-${width}.png`,
            fullPage: true,
          });
          // biome-ignore lint/performance/useDomNodeTextContent: innerText is what a reader sees.
          const text = await page.locator("main").innerText();
          expect.soft(text, screen).not.toContain("jane.doe@example.com");
          expect.soft(await page.locator("main form[method=post]").count(), screen).toBe(0);
          expect.soft(await pageWidth(page), screen).toBeLessThanOrEqual(width);
          if (width === 1280) expect.soft(await axeViolations(page), `${screen} ${colorScheme}`).toEqual([]);
        }
        await page.close();
      }
    }
  });

  it("the subscribe, confirm and manage pages carry the page's name, logo and colour (screenshots)", async () => {
    const [subscriber] = await db.select().from(subscribers).where(eq(subscribers.address, "jane.doe@example.com"));
    if (!subscriber) throw new Error("no subscriber");
    const signer = await linkSigner(db, systemClock);
    const sign = async (purpose: "manage" | "confirm") =>
      signer.sign({ subscriberId: subscriber.id, purpose }, new Date());
    const pages = {
      subscribe: paths.subscribePage(),
      confirm: paths.confirmSubscription(await sign("confirm")),
      manage: paths.managePreferences(await sign("manage")),
    };
    const buttonColours: Partial<Record<(typeof SCHEMES)[number], string>> = {};
    for (const colorScheme of SCHEMES) {
      for (const width of WIDTHS) {
        const page = await browser.newPage({ colorScheme, viewport: { width, height: 900 }, bypassCSP: true });
        for (const [name, path] of Object.entries(pages)) {
          await page.goto(`${herald.url}${path}`);
          await page.screenshot({ path: `${SCREENSHOTS}/${name}-${colorScheme}-${width}.png`, fullPage: true });
          expect.soft(await page.title(), name).toMatch(/· Acme Status$/);
          expect.soft(await page.title(), name).not.toMatch(/Status status/i);
          const brand = page.locator("header .brand");
          // biome-ignore lint/performance/useDomNodeTextContent: innerText is what a reader sees.
          expect.soft(await brand.innerText(), name).toBe("Acme Status");
          expect.soft(await brand.locator("img").getAttribute("src"), name).toBe(LOGO);
          // The button wears the brand colour, the same shade as on the public page in this scheme.
          const colour = await page
            .locator("main button")
            .first()
            .evaluate((b) => getComputedStyle(b).backgroundColor);
          buttonColours[colorScheme] ??= colour;
          expect.soft(colour, `${name} ${colorScheme}`).toBe(buttonColours[colorScheme]);
          if (width === 375 && name !== "subscribe") {
            expect.soft(await axeViolations(page), `${name} ${colorScheme}`).toEqual([]);
          }
          expect.soft(await pageWidth(page)).toBeLessThanOrEqual(width);
        }
        await page.close();
      }
    }
    expect(buttonColours.light).toBe("rgb(138, 43, 226)");
  });

  it("the status page's own title does not say “Acme Status status”", async () => {
    const page = await browser.newPage();
    await page.goto(`${herald.url}/`);
    expect.soft(await page.title()).toBe("Acme Status");
    await page.close();
  });
});
