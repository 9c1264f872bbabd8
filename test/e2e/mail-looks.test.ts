import { mkdir, readFile } from "node:fs/promises";
import { HtmlValidate } from "html-validate";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildEmail, type EmailMessage } from "../../core/notifications/email/build-email.ts";
import { type NotificationKind, TEMPLATED_KINDS } from "../../core/notifications/events.ts";
import { loadMailView } from "../../core/notifications/mail-view.ts";
import { launchChromium } from "../helpers/browser.ts";
import { createTestDb, type TestDb } from "../helpers/database.ts";
import { mailFixtures } from "../helpers/mail-fixtures.ts";

const AXE_SOURCE = await readFile(new URL("../../node_modules/axe-core/axe.min.js", import.meta.url), "utf8");
/** Screenshots of every mail in light and dark mode, to look at (not compared). */
const SCREENSHOTS = "/tmp/herald-mail-screenshots";

let testDb: TestDb;
let browser: Browser;
const mails = new Map<NotificationKind, EmailMessage>();

beforeAll(async () => {
  testDb = await createTestDb();
  const fixtures = await mailFixtures(testDb.db);
  for (const kind of TEMPLATED_KINDS) {
    const view = await loadMailView(testDb.db, fixtures.events[kind], { mailFrom: "status@acme.test" });
    if (!view) throw new Error(`no mail view for ${kind}`);
    const subscriber =
      kind === "subscription.confirm"
        ? fixtures.unconfirmed
        : kind === "webhook.disabled"
          ? fixtures.webhook
          : fixtures.subscriber;
    mails.set(kind, buildEmail(view, subscriber, fixtures.links));
  }
  browser = await launchChromium();
  await mkdir(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await testDb?.cleanup();
});

function mail(kind: NotificationKind): EmailMessage {
  const message = mails.get(kind);
  if (!message) throw new Error(`no mail for ${kind}`);
  return message;
}

describe("every kind of mail", () => {
  it("is valid HTML", async () => {
    const validator = new HtmlValidate({ extends: ["html-validate:standard"] });
    for (const kind of TEMPLATED_KINDS) {
      const report = await validator.validateString(mail(kind).html, `${kind}.html`);
      const messages = report.results.flatMap((r) =>
        r.messages.map((m) => `${m.ruleId}: ${m.message} (line ${m.line})`),
      );
      expect(messages, kind).toEqual([]);
    }
  });

  it("has no accessibility violations in light and dark mail clients", async () => {
    for (const colorScheme of ["light", "dark"] as const) {
      const page = await browser.newPage({ colorScheme, viewport: { width: 680, height: 900 } });
      for (const kind of TEMPLATED_KINDS) {
        await page.setContent(mail(kind).html);
        await page.addScriptTag({ content: AXE_SOURCE });
        const violations = await page.evaluate(async () => {
          const axe = (
            window as unknown as { axe: { run(): Promise<{ violations: { id: string; nodes: unknown[] }[] }> } }
          ).axe;
          return (await axe.run()).violations.map((v) => `${v.id} (${v.nodes.length})`);
        });
        expect(violations, `${kind} (${colorScheme})`).toEqual([]);
        await page.screenshot({ path: `${SCREENSHOTS}/${kind}-${colorScheme}.png`, fullPage: true });
      }
      await page.close();
    }
  }, 120_000);

  it("fits a phone's width without scrolling sideways", async () => {
    const page = await browser.newPage({ viewport: { width: 320, height: 640 } });
    for (const kind of TEMPLATED_KINDS) {
      await page.setContent(mail(kind).html);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, kind).toBeLessThanOrEqual(0);
    }
    await page.close();
  });

  it("leaves no template tag behind and links only to absolute addresses", async () => {
    for (const kind of TEMPLATED_KINDS) {
      const { html, text, subject } = mail(kind);
      for (const part of [html, text, subject]) expect(part, kind).not.toMatch(/\{\{|\}\}/);
      const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1] ?? "");
      expect(hrefs.length, kind).toBeGreaterThan(0);
      for (const href of hrefs) expect(href, kind).toMatch(/^(https?:\/\/|mailto:)/);
    }
  });

  it("has a text part with no HTML in it", () => {
    for (const kind of TEMPLATED_KINDS) {
      const { text } = mail(kind);
      expect(text, kind).not.toMatch(/<\/?[a-z][^>]*>/i);
      expect(text, kind).not.toMatch(/&(amp|lt|gt|quot|#\d+);/);
      expect(text.trim().length, kind).toBeGreaterThan(50);
    }
  });
});
