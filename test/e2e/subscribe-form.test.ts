import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../core/actions/clock.ts";
import { paths } from "../../core/public/paths.ts";
import { linkSigner } from "../../core/subscribers/signed-links.ts";
import { createDb, type Db } from "../../db/client.ts";
import { notificationEvents, subscriberComponents, subscribers } from "../../db/schema.ts";
import { launchChromium } from "../helpers/browser.ts";
import { type HeraldProcess, startHeraldProcess } from "../helpers/herald-process.ts";

const SCREENSHOTS = "test-results/screenshots";

let dataDir: string;
let herald: HeraldProcess;
let browser: Browser;
let db: Db;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "herald-subscribe-"));
  herald = await startHeraldProcess(dataDir);
  browser = await launchChromium();
  db = createDb({ url: `file:${join(dataDir, "herald.db")}` });
  await mkdir(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  db?.$client.close();
  await browser?.close();
  await herald?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

async function subscriberOf(address: string) {
  const [row] = await db.select().from(subscribers).where(eq(subscribers.address, address));
  return row;
}

describe("subscribing on the public page, without JavaScript", () => {
  it("every page links to Get updates", async () => {
    const page = await browser.newPage({ javaScriptEnabled: false });
    for (const path of ["/", "/history/"]) {
      await page.goto(`${herald.url}${path}`);
      await page.getByRole("link", { name: "Get updates" }).click();
      expect(new URL(page.url()).pathname).toBe(paths.subscribePage());
    }
    await page.close();
  });

  it("the form subscribes one address to one component: unconfirmed, with one confirmation event; asking again reads the same", async () => {
    const page = await browser.newPage({ javaScriptEnabled: false });
    await page.goto(`${herald.url}${paths.subscribePage()}`);
    await page.getByLabel("Email address").fill("reader@example.com");
    await page.getByLabel("Only the components chosen below").check();
    await page.getByRole("checkbox", { name: "API", exact: true }).check();
    await page.getByRole("button", { name: "Subscribe" }).click();
    // biome-ignore lint/performance/useDomNodeTextContent: innerText is what a reader sees.
    const answer = await page.locator("main").innerText();
    expect(answer).toContain("Check your inbox");

    const subscriber = await subscriberOf("reader@example.com");
    expect(subscriber).toMatchObject({ state: "unconfirmed", allComponents: false });
    if (!subscriber) throw new Error("no subscriber");
    const scope = await db
      .select()
      .from(subscriberComponents)
      .where(eq(subscriberComponents.subscriberId, subscriber.id));
    expect(scope).toHaveLength(1);
    const events = await db.select().from(notificationEvents).where(eq(notificationEvents.subscriberId, subscriber.id));
    expect(events.map((e) => e.kind)).toEqual(["subscription.confirm"]);

    await page.goto(`${herald.url}${paths.subscribePage()}`);
    await page.getByLabel("Email address").fill("reader@example.com");
    await page.getByRole("button", { name: "Subscribe" }).click();
    // biome-ignore lint/performance/useDomNodeTextContent: innerText is what a reader sees.
    expect(await page.locator("main").innerText()).toBe(answer);
    await page.close();
  });

  it("a bad address gets a readable page that names the field", async () => {
    const page = await browser.newPage({ javaScriptEnabled: false });
    await page.goto(`${herald.url}${paths.subscribePage()}`);
    // Past the browser's own check (type=email), as a script or an old browser would post it.
    await page.locator("#email").evaluate((input) => input.setAttribute("type", "text"));
    await page.getByLabel("Email address").fill("not an address");
    await page.getByRole("button", { name: "Subscribe" }).click();
    // biome-ignore lint/performance/useDomNodeTextContent: innerText is what a reader sees.
    const text = await page.locator("main").innerText();
    expect(text).toContain("Nothing was saved");
    expect(text).toContain("Email address: not an email address");
    await page.close();
  });

  it("the form and the preferences page look right in light and dark at 320 px and on a desktop (screenshots)", async () => {
    const subscriber = await subscriberOf("reader@example.com");
    if (!subscriber) throw new Error("no subscriber");
    const signer = await linkSigner(db, systemClock);
    const manage = paths.managePreferences(
      await signer.sign({ subscriberId: subscriber.id, purpose: "manage" }, new Date()),
    );
    for (const colorScheme of ["light", "dark"] as const) {
      for (const [width, name] of [
        [320, "narrow"],
        [1024, "wide"],
      ] as const) {
        const page = await browser.newPage({ javaScriptEnabled: false, colorScheme, viewport: { width, height: 900 } });
        await page.goto(`${herald.url}${paths.subscribePage()}`);
        await page.locator("summary").click();
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
        await page.screenshot({ path: `${SCREENSHOTS}/subscribe-${colorScheme}-${name}.png`, fullPage: true });
        await page.goto(`${herald.url}${manage}`);
        // biome-ignore lint/performance/useDomNodeTextContent: innerText is what a reader sees.
        expect(await page.locator("main").innerText()).toContain("reader@example.com");
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
        await page.screenshot({ path: `${SCREENSHOTS}/manage-${colorScheme}-${name}.png`, fullPage: true });
        await page.close();
      }
    }
  });
});
