import { mkdir } from "node:fs/promises";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../../core/actions/run.ts";
import { updatePageSettings } from "../../core/page/update-page-settings.ts";
import { paths } from "../../core/public/paths.ts";
import { openIncidentNow } from "../helpers/actions.ts";
import { axeViolations } from "../helpers/axe.ts";
import { launchChromium } from "../helpers/browser.ts";
import { contextFor } from "../helpers/database.ts";
import { type RenderJobs, startRenderJobs } from "../helpers/render-jobs.ts";
import { type RenderedSite, renderRealisticSite } from "../helpers/rendered-site.ts";

/** Screenshots go beside the worktree, not into the repository (SHOTS_DIR overrides). */
const SHOTS = process.env.SHOTS_DIR ?? "test-results/screenshots";

let site: RenderedSite;
let browser: Browser;
let renders: RenderJobs;

beforeAll(async () => {
  site = await renderRealisticSite();
  renders = startRenderJobs(site.db, site.clock, site.renderer);
  browser = await launchChromium();
  await mkdir(SHOTS, { recursive: true });
});
afterAll(async () => {
  await renders?.stop();
  await browser?.close();
  await site?.close();
});

const get = (path: string) => fetch(`${site.url}${path}`);
const setReliability = async (on: boolean) => {
  await run(contextFor(site.db, site.clock), updatePageSettings, { public_reliability: on });
  await renders.settled();
};

describe("the public reliability page", () => {
  it("is off on a new page: /reliability/ is not found and the footer does not link it", async () => {
    expect((await get(paths.reliability())).status).toBe(404);
    expect(await (await get("/")).text()).not.toContain('href="/reliability/"');
  });

  it("turned on, it shows each component's uptime and incidents for 30, 90 and 365 days, linked from every footer", async () => {
    await setReliability(true);
    const answer = await get(paths.reliability());
    expect(answer.status).toBe(200);
    expect(await (await get("/history/")).text()).toContain('<a href="/reliability/">Reliability</a>');

    const page = await browser.newPage({ javaScriptEnabled: false });
    await page.goto(`${site.url}${paths.reliability()}`);
    expect(await page.locator("h1").textContent()).toBe("Reliability");
    const headers = await page.locator("table.rel thead tr:nth-child(2) th").allTextContents();
    expect(headers).toEqual(["30 days", "90 days", "365 days", "30 days", "90 days", "365 days"]);
    // The realistic site: nine incidents a week apart from Sep 20 to Nov 15, three each on API, Database and
    // Webhooks, and the open one on Webhooks and API, as of Nov 26 (the 30 days begin on Oct 28).
    const totals = await page.locator(".rel-totals li").allInnerTexts();
    expect(totals).toEqual([
      "4 incidents in the last 30 days",
      "10 incidents in the last 90 days",
      "10 incidents in the last 365 days",
    ]);
    const api = page.locator("tbody tr", { has: page.locator("th", { hasText: /^API$/ }) });
    const cells = await api.locator("td").allInnerTexts();
    expect(cells.slice(3)).toEqual(["2", "4", "4"]);
    // Tracking began on Sep 20, inside each window: every figure says so, in words.
    expect(cells[2]).toMatch(/^\d+(\.\d+)?%\nsince Sep 20, 2026$/);
    const database = page.locator("tbody tr", { has: page.locator("th", { hasText: "Database" }) });
    expect(await database.locator("th").textContent()).toBe("Platform / Database");
    await page.close();
  });

  it("a new incident moves its counts once the follow-up render is done", async () => {
    const before = await (await get(paths.reliability())).text();
    site.clock.advance(60_000);
    await openIncidentNow(contextFor(site.db, site.clock), {
      name: "Login failures",
      components: { [site.ids.component]: "major_outage" },
    });
    await renders.settled();
    const after = await (await get(paths.reliability())).text();
    expect(after).not.toEqual(before);
    expect(after).toContain("5 incidents</strong>");
  });

  for (const scheme of ["light", "dark"] as const) {
    it(`passes axe with no violations in the ${scheme} scheme`, async () => {
      const page = await browser.newPage({
        bypassCSP: true,
        colorScheme: scheme,
        viewport: { width: 1100, height: 900 },
      });
      await page.goto(`${site.url}${paths.reliability()}`);
      await page.screenshot({ path: `${SHOTS}/reliability-${scheme}.png`, fullPage: true });
      expect(await axeViolations(page)).toEqual([]);
      await page.setViewportSize({ width: 360, height: 800 });
      await page.screenshot({ path: `${SHOTS}/reliability-${scheme}-narrow.png`, fullPage: true });
      expect(await axeViolations(page)).toEqual([]);
      await page.close();
    });
  }

  it("turned off again, the page is removed and the footer link goes", async () => {
    await setReliability(false);
    expect((await get(paths.reliability())).status).toBe(404);
    expect(await (await get("/")).text()).not.toContain('href="/reliability/"');
  });
});
