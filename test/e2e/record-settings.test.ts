import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PageSettings } from "../../core/page/page-settings.ts";
import { axeViolations } from "../helpers/axe.ts";
import { launchChromium } from "../helpers/browser.ts";
import { heraldJson, runHerald } from "../helpers/herald-cli.ts";
import { type HeraldProcess, startHeraldProcess } from "../helpers/herald-process.ts";

/** Screenshots go beside the worktree, not into the repository (SHOTS_DIR overrides). */
const SHOTS = process.env.SHOTS_DIR ?? "test-results/screenshots";

let dataDir: string;
let herald: HeraldProcess;
let browser: Browser;
let adminToken: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "herald-record-settings-"));
  herald = await startHeraldProcess(dataDir);
  adminToken = herald.printedToken ?? "";
  browser = await launchChromium();
  await mkdir(SHOTS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await herald?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

const env = () => ({ HERALD_URL: herald.url, HERALD_TOKEN: adminToken, HERALD_DATA: dataDir });
const settings = () => heraldJson<PageSettings>(["page", "show"], env());

async function signedIn(colorScheme: "light" | "dark"): Promise<Page> {
  const page = await browser.newPage({ colorScheme, viewport: { width: 1280, height: 900 }, bypassCSP: true });
  page.setDefaultTimeout(8_000);
  await page.goto(`${herald.url}/admin/sign-in`);
  await page.getByLabel("API token").fill(adminToken);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL(`${herald.url}/admin`);
  return page;
}

/** Waits until the served page answers `path` with `status` (a full render switches releases). */
async function served(path: string, status: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if ((await fetch(`${herald.url}${path}`)).status === status) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${path} never answered ${status}`);
}

describe("the record's settings, from the console and the CLI", () => {
  it("the console's card schedules the weekly review and publishes the reliability page; half a schedule is refused beside its field", async () => {
    const page = await signedIn("light");
    await page.goto(`${herald.url}/admin/settings`);
    const card = page.locator('section[aria-labelledby="settings-record-h"]');
    await card.getByLabel("Weekly review hour").fill("9");
    await page.getByRole("button", { name: "Save settings" }).click();
    // The hour without a day: refused, the field named, nothing saved.
    await expect.poll(() => page.locator("#s-review_weekday-error").textContent()).toContain("needs a day");
    expect((await settings()).review_hour).toBeNull();

    await card.getByLabel("Weekly review day").selectOption({ label: "Monday" });
    await card.getByLabel("Public reliability page").check();
    await card.getByLabel("Sunset reminder (days)").fill("30");
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.waitForURL(/done=settings/, { timeout: 10_000 });
    expect(await settings()).toMatchObject({
      review_weekday: 1,
      review_hour: 9,
      public_reliability: true,
      sunset_reminder_days: 30,
    });
    await served("/reliability/", 200);
    expect(await axeViolations(page)).toEqual([]);
    await card.scrollIntoViewIfNeeded();
    await card.screenshot({ path: `${SHOTS}/settings-record-light.png` });
    await page.close();

    const dark = await signedIn("dark");
    await dark.goto(`${herald.url}/admin/settings`);
    expect(
      await dark
        .locator('section[aria-labelledby="settings-record-h"]')
        .getByLabel("Public reliability page")
        .isChecked(),
    ).toBe(true);
    expect(await axeViolations(dark)).toEqual([]);
    await dark
      .locator('section[aria-labelledby="settings-record-h"]')
      .screenshot({ path: `${SHOTS}/settings-record-dark.png` });
    // Unticking the box turns the page off.
    await dark.locator('section[aria-labelledby="settings-record-h"]').getByLabel("Public reliability page").uncheck();
    await dark.getByRole("button", { name: "Save settings" }).click();
    await dark.waitForURL(/done=settings/);
    expect((await settings()).public_reliability).toBe(false);
    await served("/reliability/", 404);
    await dark.close();
  });

  it("herald page set takes days by name, on/off, and refuses what it cannot read", async () => {
    const set = await heraldJson<PageSettings>(
      ["page", "set", "--review-day", "fri", "--review-hour", "16", "--reliability-page", "on"],
      env(),
    );
    expect(set).toMatchObject({ review_weekday: 5, review_hour: 16, public_reliability: true });
    await served("/reliability/", 200);
    expect(await (await fetch(`${herald.url}/`)).text()).toContain('<a href="/reliability/">Reliability</a>');

    // A usage error (exit 1): nothing was sent.
    const badDay = await runHerald(["page", "set", "--review-day", "someday"], env());
    expect(badDay.code).toBe(1);
    expect(badDay.stderr).toContain('--review-day: "someday" is not a day of the week');
    const half = await runHerald(["page", "set", "--review-day", "none"], env());
    expect(half.code).toBe(2);
    expect(half.stderr).toMatch(
      /--review-hour \(review_hour\): the weekly review needs an hour as well as a day|review_weekday/,
    );

    const off = await heraldJson<PageSettings>(["page", "set", "--review-day", "none", "--review-hour", "none"], env());
    expect(off).toMatchObject({ review_weekday: null, review_hour: null });
  });
});
