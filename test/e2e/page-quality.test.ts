import { mkdir, readFile } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import { HtmlValidate } from "html-validate";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../helpers/browser.ts";
import { type RenderedSite, renderRealisticSite } from "../helpers/rendered-site.ts";

const SCREENSHOTS = "test-results/screenshots";
const AXE_SOURCE = await readFile(new URL("../../node_modules/axe-core/axe.min.js", import.meta.url), "utf8");

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

const pages = () => ({
  index: "/",
  incident: `/incidents/${site.ids.resolvedIncident}/`,
  "open incident": `/incidents/${site.ids.openIncident}/`,
  history: "/history/",
  "history month": `/history/${site.ids.month}/`,
  component: `/components/${site.ids.component}/`,
  group: `/components/${site.ids.group}/`,
  subscribe: "/subscribe/",
});

describe("the public pages' quality budgets", () => {
  it("the index with 10 components, 90-day bars and an open incident is at most 10 KB gzipped, script and CSS included", async () => {
    const html = await (await fetch(`${site.url}/`)).text();
    const assets = [...html.matchAll(/<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="([^"]+)"/g)].map(
      (m) => m[1] ?? "",
    );
    let total = gzipSync(html, { level: 9 }).length;
    for (const asset of assets)
      total += gzipSync(await (await fetch(`${site.url}${asset}`)).text(), { level: 9 }).length;
    console.log(
      `index: ${total} bytes gzipped (HTML ${gzipSync(html, { level: 9 }).length}, ${assets.length} asset(s))`,
    );
    expect(html).toContain("Delayed webhook deliveries");
    expect((html.match(/Nov 26, 2026: /g) ?? []).length).toBeGreaterThanOrEqual(9);
    expect(total).toBeLessThanOrEqual(10 * 1024);
  });

  it("tells the truth without JavaScript: status in words, the open incident and its promised update", async () => {
    const page = await browser.newPage({ javaScriptEnabled: false });
    await page.goto(`${site.url}/`);
    // biome-ignore lint/performance/useDomNodeTextContent: innerText is what a reader sees.
    const text = await page.locator("main").innerText();
    expect(text).toMatch(/Partial System Outage/);
    expect(text).toContain("Delayed webhook deliveries");
    expect(text).toMatch(/Next update/i);
    expect(text).toMatch(/10:30/);
    await page.close();
  });

  it("with JavaScript, its one script localises times and the content security policy blocks nothing else", async () => {
    const page = await browser.newPage({ timezoneId: "Europe/Berlin" });
    const blocked: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) blocked.push(message.text());
    });
    await page.goto(`${site.url}/incidents/${site.ids.openIncident}/`);
    expect(await page.locator("#tz").textContent()).toBe("Times are shown in your time zone.");
    expect(await page.locator("main time[data-local]").first().textContent()).toMatch(/GMT\+1|CET/);
    // Script injected into the page (as a sanitizer bug would) is refused.
    await page.evaluate(() => {
      const script = document.createElement("script");
      script.textContent = "document.body.dataset.pwned = 'yes'";
      document.body.append(script);
    });
    expect(await page.evaluate(() => document.body.dataset.pwned)).toBeUndefined();
    // One report per policy (the HTTP header and the page's <meta>), both for the injected script only.
    expect(blocked.length).toBe(2);
    await page.close();
  });

  it("a reader in New York sees every time of a page in one zone and one format, the update's own text included", async () => {
    const page = await browser.newPage({ timezoneId: "America/New_York" });
    const oneFormat = /^(?:[A-Z][a-z]{2} \d{1,2}, \d{4}, )?\d{2}:\d{2} E[SD]T$/;
    for (const path of ["/", `/incidents/${site.ids.openIncident}/`, `/components/${site.ids.component}/`]) {
      await page.goto(`${site.url}${path}`);
      const times = await page.locator("main time").allTextContents();
      expect(times.length, path).toBeGreaterThan(0);
      for (const time of times) expect(time, path).toMatch(oneFormat);
      // biome-ignore lint/performance/useDomNodeTextContent: innerText is what a reader sees.
      expect(await page.locator("main").innerText(), path).not.toMatch(/\d\d:\d\d UTC|\d:\d\d [AP]M/);
    }
    await page.goto(`${site.url}/incidents/${site.ids.openIncident}/`);
    // The promise in the update's text (written by a template) reads as the "Next update by" beside it.
    expect(await page.locator(".timeline .prose time").allTextContents()).toEqual(["05:30 EST"]);
    expect(await page.locator(".facts time").allTextContents()).toContain("05:30 EST");
    await page.close();
  });

  it("without JavaScript every time reads in the page's zone, in the same format, text included", async () => {
    const page = await browser.newPage({ javaScriptEnabled: false });
    await page.goto(`${site.url}/incidents/${site.ids.openIncident}/`);
    expect(await page.locator(".timeline .prose time").allTextContents()).toEqual(["10:30 UTC"]);
    for (const time of await page.locator("main time").allTextContents()) {
      expect(time).toMatch(/^(?:[A-Z][a-z]{2} \d{1,2}, \d{4}, )?\d{2}:\d{2} UTC$/);
    }
    await page.close();
  });

  it("axe-core finds no accessibility violations on any page, in light and dark mode", async () => {
    for (const colorScheme of ["light", "dark"] as const) {
      // axe is injected as a script, which the page's own policy would rightly refuse.
      const page = await browser.newPage({ colorScheme, bypassCSP: true });
      for (const [name, path] of Object.entries(pages())) {
        await page.goto(`${site.url}${path}`);
        await page.addScriptTag({ content: AXE_SOURCE });
        const violations = await page.evaluate(async () => {
          const axe = (
            window as unknown as { axe: { run(): Promise<{ violations: { id: string; nodes: unknown[] }[] }> } }
          ).axe;
          return (await axe.run()).violations.map((v) => `${v.id} (${v.nodes.length})`);
        });
        expect(violations, `${name} (${colorScheme})`).toEqual([]);
        await page.screenshot({ path: `${SCREENSHOTS}/${name.replace(/ /g, "-")}-${colorScheme}.png`, fullPage: true });
      }
      await page.close();
    }
  });

  it("every page is valid HTML", async () => {
    const validator = new HtmlValidate({ extends: ["html-validate:standard"] });
    for (const [name, path] of Object.entries(pages())) {
      const html = await (await fetch(`${site.url}${path}`)).text();
      const report = await validator.validateString(html, `${name}.html`);
      const messages = report.results.flatMap((r) =>
        r.messages.map((m) => `${m.ruleId}: ${m.message} (line ${m.line})`),
      );
      expect(messages, name).toEqual([]);
    }
  });

  it("is usable at 320 px: nothing scrolls sideways", async () => {
    const page = await browser.newPage({ viewport: { width: 320, height: 640 } });
    for (const [name, path] of Object.entries(pages())) {
      await page.goto(`${site.url}${path}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, name).toBeLessThanOrEqual(0);
    }
    await page.screenshot({ path: `${SCREENSHOTS}/index-320.png`, fullPage: true });
    await page.close();
  });

  it("follows the system's dark mode", async () => {
    const background = async (colorScheme: "light" | "dark") => {
      const page = await browser.newPage({ colorScheme });
      await page.goto(`${site.url}/`);
      const color = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      await page.close();
      const [r = 0, g = 0, b = 0] = (color.match(/\d+/g) ?? []).map(Number);
      return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
    };
    expect(await background("light")).toBeGreaterThan(0.8);
    expect(await background("dark")).toBeLessThan(0.2);
  });

  it("prints cleanly: the whole component list and the incident show, and a PDF renders", async () => {
    const page = await browser.newPage();
    await page.goto(`${site.url}/`);
    await page.emulateMedia({ media: "print" });
    expect(await page.getByText("Delayed webhook deliveries").first().isVisible()).toBe(true);
    expect(await page.getByText("Job queue").first().isVisible()).toBe(true);
    const pdf = await page.pdf({ format: "A4" });
    expect(pdf.length).toBeGreaterThan(10_000);
    await page.close();
  });
});
