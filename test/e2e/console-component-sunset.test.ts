import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeViolations } from "../helpers/axe.ts";
import { launchChromium } from "../helpers/browser.ts";
import { type HeraldProcess, startHeraldProcess } from "../helpers/herald-process.ts";

/** Screenshots a person looks at before calling the screen done. */
const SCREENSHOTS = process.env.HERALD_SCREENSHOTS ?? "test-results/screenshots/console-component-sunset";

let dataDir: string;
let herald: HeraldProcess;
let browser: Browser;
let token: string;
let legacyId = "";

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "herald-console-sunset-"));
  herald = await startHeraldProcess(dataDir);
  token = herald.printedToken ?? "";
  browser = await launchChromium();
  await mkdir(SCREENSHOTS, { recursive: true });
  for (const name of ["Legacy API", "API v2"]) {
    const response = await fetch(`${herald.url}/api/components`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ name }),
    });
    if (name === "Legacy API") legacyId = ((await response.json()) as { id: string }).id;
  }
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await herald?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

async function signedIn(colorScheme: "light" | "dark"): Promise<Page> {
  const page = await browser.newPage({ colorScheme, viewport: { width: 1280, height: 900 }, bypassCSP: true });
  await page.goto(`${herald.url}/admin/sign-in`);
  await page.getByLabel("API token").fill(token);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL(`${herald.url}/admin`);
  return page;
}

describe("the component screen's deprecation", () => {
  it("refuses a missing message beside the field, deprecates, shows the date, and sunsets", async () => {
    const page = await signedIn("light");
    await page.goto(`${herald.url}/admin/components`);
    const form = page.getByRole("form", { name: "Deprecate Legacy API" });
    await page.locator(`#sunset-${legacyId}`).locator("xpath=ancestor::details[1]/summary").click();
    await page.locator(`#sunset-${legacyId}`).fill("2030-01-15T12:00");
    await page.locator(`#message-${legacyId}`).fill("   ");
    await form.evaluate((f) => {
      for (const field of f.querySelectorAll("[required]")) field.removeAttribute("required");
    });
    await form.getByRole("button", { name: "Deprecate" }).click();
    // biome-ignore lint/performance/useDomNodeTextContent: innerText is what a reader sees.
    expect(await page.locator("main").innerText()).toContain("say what users should do instead");

    await page.locator(`#sunset-${legacyId}`).fill("2030-01-15T12:00");
    await page.locator(`#message-${legacyId}`).fill("Move to **API v2**.");
    await page.getByRole("form", { name: "Deprecate Legacy API" }).getByRole("button", { name: "Deprecate" }).click();
    await page.waitForURL(/done=deprecated/);
    // biome-ignore lint/performance/useDomNodeTextContent: innerText is what a reader sees.
    const text = await page.locator("main").innerText();
    expect(text).toContain("Deprecated: the page shows its notice");
    expect(text).toMatch(/Deprecated\s+leaves the page Jan 15, 2030/);
    for (const scheme of ["light", "dark"] as const) {
      const view = scheme === "light" ? page : await signedIn("dark");
      await view.goto(`${herald.url}/admin/components`);
      await view
        .locator("summary", { hasText: /^Deprecation$/ })
        .first()
        .click();
      expect(await axeViolations(view), scheme).toEqual([]);
      await view.screenshot({ path: `${SCREENSHOTS}/components-deprecated-${scheme}.png`, fullPage: true });
    }
    await page.goto(`${herald.url}/admin/components`);
    await page
      .locator("summary", { hasText: /^Deprecation$/ })
      .first()
      .click();
    await page.locator("summary", { hasText: "Sunset now…" }).click();
    await page.getByRole("button", { name: "Yes, sunset it now" }).click();
    await page.waitForURL(/done=sunset/);
    // biome-ignore lint/performance/useDomNodeTextContent: innerText is what a reader sees.
    expect(await page.locator("main").innerText()).toMatch(/Sunset\s+left the page/);
  }, 120_000);
});
