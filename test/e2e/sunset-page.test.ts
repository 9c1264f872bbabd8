import { mkdir } from "node:fs/promises";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../../core/actions/run.ts";
import { deprecateComponent } from "../../core/inventory/sunset/deprecate.ts";
import { sunsetComponent } from "../../core/inventory/sunset/sunset-now.ts";
import { axeViolations } from "../helpers/axe.ts";
import { launchChromium } from "../helpers/browser.ts";
import { contextFor } from "../helpers/database.ts";
import { type RenderedSite, renderRealisticSite } from "../helpers/rendered-site.ts";

/** Screenshots for people to look at (outside the repository when SCREENSHOTS_DIR says so). */
const SCREENSHOTS = process.env.SCREENSHOTS_DIR ?? "test-results/screenshots";

let site: RenderedSite;
let browser: Browser;

beforeAll(async () => {
  site = await renderRealisticSite();
  browser = await launchChromium();
  await mkdir(SCREENSHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
});

const get = async (path: string) => fetch(`${site.url}${path}`);
const text = async (path: string) => (await get(path)).text();

describe("a component being sunset, through the built site", () => {
  it("shows a deprecation notice in words, then leaves the page, the v2 JSON and the subscribe form while its history stays", async () => {
    const api = site.ids.component;
    await run(contextFor(site.db, site.clock), deprecateComponent, {
      id: api,
      sunset_at: "2026-12-20T12:00:00Z",
      message: "Move to the **v2 API**: see [the guide](https://docs.acme.test/v2).",
    });
    await site.renderer.renderAll();

    for (const path of ["/", `/components/${api}/`]) {
      const page = await browser.newPage({ javaScriptEnabled: false });
      await page.goto(`${site.url}${path}`);
      const notice = page.locator(".retire").first();
      // biome-ignore lint/performance/useDomNodeTextContent: innerText is what a reader sees.
      expect(await notice.innerText()).toMatch(
        /Deprecated — leaves this page on Dec 20, 2026.*\n*.*Move to the v2 API/s,
      );
      await page.close();
    }
    for (const colorScheme of ["light", "dark"] as const) {
      for (const [name, path] of [
        ["index", "/"],
        ["component", `/components/${api}/`],
      ]) {
        const page = await browser.newPage({ colorScheme, bypassCSP: true, viewport: { width: 900, height: 900 } });
        await page.goto(`${site.url}${path}`);
        expect(await axeViolations(page), `${name} ${colorScheme}`).toEqual([]);
        await page.screenshot({ path: `${SCREENSHOTS}/deprecated-${name}-${colorScheme}.png`, fullPage: true });
        await page.close();
      }
    }
    expect(await text("/history.atom")).toContain("API: Deprecated");
    expect(await text("/subscribe/")).toContain(api);

    await run(contextFor(site.db, site.clock), sunsetComponent, { id: api });
    await site.renderer.renderAll();

    expect(await text("/")).not.toContain(`/components/${api}/`);
    for (const name of ["components.json", "summary.json"]) {
      const document = JSON.parse(await text(`/api/v2/${name}`)) as { components: { id: string }[] };
      expect(document.components.map((c) => c.id)).not.toContain(api);
      expect(document.components.length).toBeGreaterThan(0);
    }
    expect(await text("/subscribe/")).not.toContain(api);
    // Its own page and the incidents that named it keep resolving, and keep naming it.
    const own = await get(`/components/${api}/`);
    expect(own.status).toBe(200);
    expect(await own.text()).toMatch(/Sunset<\/strong> — left this page on/);
    const incident = await get(`/incidents/${site.ids.openIncident}/`);
    expect(incident.status).toBe(200);
    expect(await incident.text()).toContain("<dd>API, Webhooks</dd>");
    expect(await text("/history.rss")).toContain("API: Sunset");
  });
});
