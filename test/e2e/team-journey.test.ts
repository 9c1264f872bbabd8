import { mkdir } from "node:fs/promises";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeViolations } from "../helpers/axe.ts";
import { launchChromium } from "../helpers/browser.ts";
import { startTeamHerald, TEAM_ADMIN_TOKEN, type TeamHerald } from "../helpers/team-herald.ts";

/*
 * Issue 23's "Done when", tried as a new user would, in real Chromium against a whole Herald on a clock the
 * test moves, mailing a real SMTP server: the first admin invites Cody; Cody joins, adds a passkey and signs
 * in with it (a CTAP2 authenticator made through the DevTools protocol), opens an incident (Cody commands
 * it) promising an update in 15 minutes; the promise lapses and the tick mails Cody, then level 1 (Ada)
 * after its delay, naming who was told; Cody posts and the escalation stops; Cody hands over to Ada in one
 * click; the audit log names Cody by name. Screenshots go to SHOTS (light and dark).
 */
const SHOTS = process.env.HERALD_SHOTS ?? "test-results/screenshots/team";
const MINUTE = 60_000;
const ada = { name: "Ada Admin", email: "ada@acme.test" };
const cody = { name: "Cody Commander", email: "cody@acme.test" };

let team: TeamHerald;
let browser: Browser;
let admin: { context: BrowserContext; page: Page };
let commander: { context: BrowserContext; page: Page };
let incidentUrl = "";

beforeAll(async () => {
  team = await startTeamHerald("oncall@acme.test");
  browser = await launchChromium();
  await mkdir(SHOTS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await team?.close();
});

/** A browser of one person, with a passkey-capable platform authenticator of its own. */
async function device(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const cdp = await context.newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { context, page };
}

async function shoot(page: Page, name: string): Promise<void> {
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    await page.screenshot({ path: `${SHOTS}/${name}-${colorScheme}.png`, fullPage: true });
  }
  await page.emulateMedia({ colorScheme: "light" });
}

const main = (page: Page) => page.locator("main").textContent();

describe("the team journey of issue 23 (Chromium, SMTP, the scheduler's tick on a moved clock)", () => {
  it("the first admin signs in with the printed token, becomes a person and invites Cody", async () => {
    admin = await device();
    const { page } = admin;
    await page.goto(`${team.origin}/admin`);
    await page.waitForURL(/sign-in/);
    await shoot(page, "sign-in");
    await page.getByLabel("API token").fill(TEAM_ADMIN_TOKEN);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL(`${team.origin}/admin`);
    await page.goto(`${team.origin}/admin/team`);
    await page.getByLabel("Your name").fill(ada.name);
    await page.getByLabel("Your email address").fill(ada.email);
    await page.getByRole("button", { name: "Create my account" }).click();
    await page.waitForURL(/done=saved/);
    expect(await page.locator("header").textContent()).toContain(ada.name);

    await page.getByLabel("Email address").fill(cody.email);
    await page.getByRole("button", { name: "Send invitation" }).click();
    await page.waitForURL(/done=invited/);
    expect(await main(page)).toContain(cody.email);
  });

  it("the admin sets the policy in the Team page's editor: level 1 is Ada, 10 minutes after the commander", async () => {
    const { page } = admin;
    const adding = page.locator("details", { has: page.getByText("Add a level") });
    if ((await adding.getAttribute("open")) === null) await adding.locator("summary").click();
    await adding.getByLabel("Minutes after the previous level").fill("10");
    await adding.getByLabel(ada.name).check();
    await page.getByRole("button", { name: "Add this level" }).click();
    await page.waitForURL(/done=policy-saved/);
    expect(await page.locator("#escalation").textContent()).toContain("Level 1");
    expect(await axeViolations(page)).toEqual([]);
  });

  it("Cody accepts the mailed invitation, adds a passkey, and signs in with it", async () => {
    await team.settled();
    const [invitation] = await team.mailsTo(cody.email);
    const link = /https?:\/\/\S+\/admin\/invitation\?token=[\w.-]+/.exec(String(invitation?.text ?? ""))?.[0];
    expect(link, String(invitation?.text)).toBeTruthy();
    commander = await device();
    const { page } = commander;
    await page.goto(link ?? "");
    await page.getByLabel("Your name").fill(cody.name);
    await page.getByRole("button", { name: "Accept and sign in" }).click();
    await page.waitForURL(/\/admin\/passkeys\?welcome=1/);
    await page.getByLabel("Name", { exact: true }).fill("Laptop");
    await page.getByRole("button", { name: "Add a passkey" }).click();
    await page.waitForURL(/done=passkey-added/);

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/sign-in/);
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await page.waitForURL(`${team.origin}/admin`);
    expect(await page.locator("header").textContent()).toContain(cody.name);
  });

  it("Cody opens an incident promising an update in 15 minutes and is its commander", async () => {
    const { page } = commander;
    await page.goto(`${team.origin}/admin/incidents/new`);
    await page.getByLabel("Name", { exact: true }).fill("Checkout errors");
    await page.getByLabel("Message").fill("Some payments fail; we are looking into it.");
    await page.getByLabel("Next update in").selectOption({ label: "15 min" });
    await page.getByRole("button", { name: "Publish incident" }).click();
    await page.waitForURL(/\/admin\/incidents\/[0-9a-z]+\?done=opened/);
    incidentUrl = page.url().replace(/\?.*$/, "");
    expect(await page.locator("#command").textContent()).toContain(`${cody.name} · you`);
    await page.goto(`${team.origin}/admin`);
    expect(await main(page)).toContain(`Commander: ${cody.name}`);
  });

  it("the lapsed promise mails Cody first, then Ada after level 1's delay, naming who was told", async () => {
    team.clock.advance(16 * MINUTE);
    await team.tick();
    const first = await team.mailsTo(cody.email);
    expect(first.map((m) => m.subject)).toContain("[Escalated: update overdue] Checkout errors");
    expect(await team.mailsTo(ada.email)).toEqual([]);

    team.clock.advance(10 * MINUTE);
    await team.tick();
    const toAda = (await team.mailsTo(ada.email)).filter((m) => m.subject?.startsWith("[Escalated"));
    expect(toAda).toHaveLength(1);
    expect(toAda[0]?.text).toContain("You are told as level 1 of the escalation policy");
    expect(toAda[0]?.text).toContain(`Already told: ${cody.name} (the commander)`);

    const { page } = commander;
    // The console's countdown script reads the browser's clock: let it read the test's.
    await page.clock.setFixedTime(team.clock.now());
    await page.goto(incidentUrl);
    const banner = await page.locator("#escalation").textContent();
    expect(banner).toContain("late by 11 min");
    expect(banner).toContain(`Told: ${cody.name} (commander), ${ada.name} (level 1).`);
    expect(await axeViolations(page)).toEqual([]);
    await shoot(page, "incident-escalated");
    await page.goto(`${team.origin}/admin`);
    expect(await main(page)).toContain("Escalated · level 1 told");
    await shoot(page, "dashboard-escalated");
  });

  it("Cody posts an update and no escalation mail follows, however many ticks", async () => {
    const { page } = commander;
    await page.goto(incidentUrl);
    await page.getByLabel("Status").first().selectOption({ label: "Identified" });
    await page.locator("#update-body").fill("A bad deploy; rolling it back.");
    await page.getByLabel("Next update in").selectOption({ label: "No promise" });
    await page.getByRole("button", { name: "Post update" }).click();
    await page.waitForURL(/done=posted/);
    expect(await page.locator("#escalation").count()).toBe(0);

    const before = (await team.sink.mails()).filter((m) => m.subject?.includes("overdue")).length;
    for (let i = 0; i < 3; i++) {
      team.clock.advance(15 * MINUTE);
      await team.tick();
    }
    expect((await team.sink.mails()).filter((m) => m.subject?.includes("overdue"))).toHaveLength(before);
  });

  it("Cody hands the incident over to Ada in one click, and the audit log names them", async () => {
    const { page } = commander;
    await page.locator("#hand-over-to").selectOption({ label: ada.name });
    await page.getByRole("button", { name: "Hand over" }).click();
    await page.waitForURL(/done=handed-over/);
    expect(await page.locator("#command").textContent()).toContain(ada.name);

    await admin.page.goto(`${team.origin}/admin/audit`);
    const row = (action: string) => admin.page.locator("tr", { hasText: action }).first().textContent();
    expect(await row("incident.hand_over")).toContain(cody.name);
    expect(await row("incident.open")).toContain(cody.name);
    expect(await row("escalation_policy.replace")).toContain(ada.name);
    await admin.page.goto(`${team.origin}/admin/team`);
    expect(await admin.page.locator("#escalation-slot").textContent()).toContain(`Commander: ${ada.name}`);
    expect(await axeViolations(admin.page)).toEqual([]);
    await shoot(admin.page, "team");
  });
});
