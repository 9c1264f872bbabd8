import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../../../api/app.ts";
import { run } from "../../../core/actions/run.ts";
import { createComponent } from "../../../core/components/create-component.ts";
import { getIncident } from "../../../core/incidents/load-incidents.ts";
import { postUpdate } from "../../../core/incidents/post-update.ts";
import { listTemplates } from "../../../core/templates/list-templates.ts";
import { seedStockTemplates } from "../../../core/templates/seed-stock-templates.ts";
import { auditLog, deliveries, notificationEvents, page as pageTable, subscribers } from "../../../db/schema.ts";
import { openIncidentNow } from "../../helpers/actions.ts";
import { consoleClient } from "../../helpers/console-client.ts";
import { contextFor, createTestDb, manualClock, setupPage, type TestDb } from "../../helpers/database.ts";

let testDb: TestDb;
let clock: ReturnType<typeof manualClock>;
let app: ReturnType<typeof createApp>;

const { signIn, post, page } = consoleClient(() => ({ app, testDb, clock }));
const ctx = () => contextFor(testDb.db, clock);

const EMAIL = "jane.doe@example.com";
const WEBHOOK = "https://hooks.slack.com/services/T000/B000/s3cr3tXYZ";

/** An open incident with a failed mail and a failed webhook, a resolved one, a scheduled maintenance. */
async function seed() {
  const api = await run(ctx(), createComponent, { name: "API" });
  const now = clock.now().toISOString();
  await testDb.db.insert(subscribers).values([
    {
      id: "subemail0001",
      channel: "email",
      address: EMAIL,
      format: "email",
      state: "active",
      source: "api",
      createdAt: now,
      updatedAt: now,
    },
    {
      id: "subhook00001",
      channel: "webhook",
      address: WEBHOOK,
      format: "json",
      state: "active",
      source: "api",
      createdAt: now,
      updatedAt: now,
    },
  ]);
  const incident = await openIncidentNow(ctx(), {
    name: "Slow API",
    body: "Looking into it.",
    impact: "none",
    components: { [api.id]: "degraded_performance" },
  });
  const [event] = await testDb.db
    .select()
    .from(notificationEvents)
    .where(eq(notificationEvents.incidentId, incident.id));
  if (!event) throw new Error("no event");
  await testDb.db.insert(deliveries).values([
    {
      id: "delivery0001",
      eventId: event.id,
      subscriberId: "subemail0001",
      state: "failed",
      attempts: 3,
      nextAttemptAt: now,
      serverReply: `550 5.1.1 <${EMAIL}>: mailbox unavailable`,
      createdAt: now,
    },
    {
      id: "delivery0002",
      eventId: event.id,
      subscriberId: "subhook00001",
      state: "failed",
      attempts: 5,
      nextAttemptAt: now,
      lastError: `HTTP 404 from ${WEBHOOK}`,
      createdAt: now,
    },
  ]);
  // As an entry written by an older version might read: the address and the URL in its details.
  await testDb.db.insert(auditLog).values({
    id: "oldaudit0001",
    at: now,
    actor: "token:admin",
    action: "subscriber.note",
    targetType: "subscriber",
    targetId: "subemail0001",
    details: { address: EMAIL, reply: `POST ${WEBHOOK} failed` },
  });
  const resolved = await openIncidentNow(ctx(), { name: "Old outage", body: "Down." });
  await postUpdate(ctx(), resolved.id, { status: "resolved", body: "Fixed." });
  const maintenance = await openIncidentNow(ctx(), {
    kind: "maintenance",
    name: "Database upgrade",
    body: "We upgrade the database.",
    scheduled_for: "2026-11-26T13:09:00.000Z",
    scheduled_until: "2026-11-26T14:00:00.000Z",
    components: { [api.id]: "under_maintenance" },
  });
  return { incident, resolved, maintenance };
}

/** Every form on a screen that would change something (a GET form only filters or picks). */
function postForms(html: string): string[] {
  return [...html.matchAll(/<form\b[^>]*method="post"[^>]*>/g)].map((m) => m[0]);
}

beforeEach(async () => {
  testDb = await createTestDb();
  clock = manualClock("2026-11-26T10:00:00.000Z");
  await setupPage(testDb.db, clock);
  app = createApp({ db: testDb.db, clock, log: () => {} });
});
afterEach(() => testDb.cleanup());

describe("a viewer sees the console read-only", () => {
  it("no screen offers a form that would be refused, only signing out", async () => {
    const { incident, resolved, maintenance } = await seed();
    await seedStockTemplates(ctx());
    const [template] = await run(ctx(), listTemplates, {});
    if (!template) throw new Error("no template");
    const viewer = await signIn("viewer");
    const screens = [
      "/admin",
      "/admin/incidents",
      "/admin/maintenance",
      `/admin/incidents/${incident.id}`,
      `/admin/incidents/${resolved.id}`,
      `/admin/incidents/${maintenance.id}`,
      "/admin/components",
      "/admin/subscribers",
      "/admin/audit",
      "/admin/templates",
      `/admin/templates/${template.id}`,
      "/admin/settings",
    ];
    for (const path of screens) {
      const html = await page(viewer, path);
      expect(html, path).toContain("You are signed in with a viewer token");
      expect(postForms(html), path).toEqual([expect.stringContaining('action="/admin/sign-out"')]);
    }
  });

  it("reads a template without a form: its fields as text, nothing to fill in", async () => {
    await seedStockTemplates(ctx());
    const [template] = await run(ctx(), listTemplates, {});
    if (!template) throw new Error("no template");
    const html = await page(await signIn("viewer"), `/admin/templates/${template.id}`);
    expect(html).toContain("only a commander or an admin can change it");
    expect(html).toContain("Posts the status");
    expect(html).not.toMatch(/<(input|textarea|select)\b[^>]*name="(title|body|status)"/);
    const commander = await page(await signIn("commander"), `/admin/templates/${template.id}`);
    expect(commander).toMatch(/<textarea\b[^>]*name="body"/);
  });

  it("screens that only exist to change something say so instead of showing a form", async () => {
    const viewer = await signIn("viewer");
    for (const path of ["/admin/incidents/new", "/admin/maintenance/new", "/admin/templates/new"]) {
      const response = await app.request(`http://herald.test${path}`, { headers: { Cookie: viewer.cookie } });
      expect(response.status, path).toBe(403);
      const html = await response.text();
      expect(html, path).toContain("Not allowed");
      expect(postForms(html), path).toEqual([expect.stringContaining('action="/admin/sign-out"')]);
    }
  });
});

describe("subscriber addresses and webhook URLs in the console", () => {
  const secretsIn = (html: string) => [EMAIL, "s3cr3tXYZ", "/services/T000"].filter((s) => html.includes(s));

  it("are masked for viewers and commanders, on the subscribers screen, the delivery log and the audit log", async () => {
    const { incident } = await seed();
    for (const role of ["viewer", "commander"] as const) {
      const session = await signIn(role);
      const list = await page(session, "/admin/subscribers");
      expect(secretsIn(list), role).toEqual([]);
      expect(list).toContain("j•••@example.com");
      expect(list).toContain("https://hooks.slack.com/…");
      const detail = await page(session, `/admin/incidents/${incident.id}`);
      expect(secretsIn(detail), role).toEqual([]);
      expect(detail).toContain("j•••@example.com");
      expect(secretsIn(await page(session, "/admin/audit")), role).toEqual([]);
      const searched = await page(session, `/admin/subscribers?q=${encodeURIComponent("jane")}`);
      expect(secretsIn(searched), role).toEqual([]);
      expect(searched, role).not.toContain("j•••@example.com");
      const whole = await page(session, `/admin/subscribers?q=${encodeURIComponent(EMAIL)}`);
      // Only in the search box, as typed: the list shows the match masked.
      expect(whole.split(EMAIL).length - 1, role).toBe(1);
      expect(whole, role).toContain(`value="${EMAIL}"`);
      expect(whole, role).toContain("j•••@example.com");
      const audit = await page(session, "/admin/audit");
      expect(audit, role).toContain("address: j•••@example.com");
      expect(audit, role).toContain("POST https://hooks.slack.com/… failed");
    }
  });

  it("are shown in full to an admin", async () => {
    const { incident } = await seed();
    const admin = await signIn("admin");
    expect(await page(admin, "/admin/audit")).toContain(`address: ${EMAIL}`);
    expect(await page(admin, "/admin/subscribers")).toContain(EMAIL);
    expect(await page(admin, "/admin/subscribers")).toContain(WEBHOOK);
    expect(await page(admin, `/admin/incidents/${incident.id}`)).toContain(EMAIL);
  });
});

describe("the delivery log", () => {
  it("labels each failed delivery with its event, channel, recipient, state and time", async () => {
    const { incident } = await seed();
    const html = await page(await signIn("viewer"), `/admin/incidents/${incident.id}`);
    const log = html.slice(html.indexOf('id="deliveries-h"'));
    const rows = [...log.matchAll(/<li\b[^>]*>([\s\S]*?)<\/li>/g)].map((m) =>
      (m[1] ?? "")
        .replace(/<[^>]+>/g, " ")
        .replace(/\s+/g, " ")
        .trim(),
    );
    expect(rows).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^Incident opened · to subscribers Nov 26, 2026, 10:00 UTC 0 sent · 0 queued · 0 failed$/,
        ),
        expect.stringMatching(
          /^Incident opened · Email to j•••@example\.com Nov 26, 2026, 10:00 UTC Failed after 3 attempts · 550 5\.1\.1 &lt;j•••@example\.com&gt;: mailbox unavailable$/,
        ),
        expect.stringMatching(
          /^Incident opened · Webhook to https:\/\/hooks\.slack\.com\/… .* Failed after 5 attempts · HTTP 404 from https:\/\/hooks\.slack\.com\/…$/,
        ),
      ]),
    );
  });
});

describe("the console says what is true", () => {
  it("an incident with no impact says “No impact”, never “No impact impact”", async () => {
    const { incident } = await seed();
    const session = await signIn("commander");
    for (const path of ["/admin", "/admin/incidents", `/admin/incidents/${incident.id}`]) {
      const html = await page(session, path);
      expect(html, path).toContain("No impact");
      expect(html, path).not.toContain("No impact impact");
    }
  });

  it("a maintenance says “Starts” until it starts, then “Started”", async () => {
    const { maintenance } = await seed();
    const session = await signIn("commander");
    const before = await page(session, `/admin/incidents/${maintenance.id}`);
    expect(before).toMatch(/<dt>Starts<\/dt>\s*<dd><time[^>]*>Nov 26, 2026, 13:09 UTC/);
    expect(before).not.toMatch(/<dt>Started<\/dt>/);
    await postUpdate(ctx(), maintenance.id, { status: "in_progress", body: "Started." });
    const after = await page(session, `/admin/incidents/${maintenance.id}`);
    expect(after).toMatch(/<dt>Started<\/dt>/);
    expect(after).not.toMatch(/<dt>Starts<\/dt>/);
  });

  it("a free-text update and a new incident default “Next update in” to the page's cadence", async () => {
    const { incident } = await seed();
    await testDb.db.update(pageTable).set({ defaultNextUpdateMinutes: 45 });
    const session = await signIn("commander");
    for (const path of ["/admin/incidents/new", `/admin/incidents/${incident.id}`]) {
      const html = await page(session, path);
      const select = /<select[^>]*name="next_update_in"[^>]*>([\s\S]*?)<\/select>/.exec(html)?.[1] ?? "";
      expect(select, path).toMatch(/<option value="45" selected/);
    }
  });

  it("with the cadence configured by environment (HERALD_DEFAULT_CADENCE_MINUTES), a free-text post promises it as the API does", async () => {
    app = createApp({
      db: testDb.db,
      clock,
      log: () => {},
      settings: { defaultCadenceMinutes: 20, teamEmail: undefined },
    });
    const session = await signIn("commander");
    const form = await page(session, "/admin/incidents/new");
    expect(/<select[^>]*name="next_update_in"[^>]*>([\s\S]*?)<\/select>/.exec(form)?.[1]).toMatch(
      /<option value="20" selected/,
    );
    const opened = await post(session, "/admin/incidents/new", {
      name: "Checkout errors",
      status: "investigating",
      body: "Looking into it.",
      next_update_in: "20",
      notify_shown: "1",
      publish_when: "now",
    });
    expect(opened.status).toBe(303);
    const id = /\/admin\/incidents\/(\w+)/.exec(opened.headers.get("Location") ?? "")?.[1] ?? "";
    const record = await getIncident(testDb.db, id);
    expect(record.nextUpdateDueAt).toBe("2026-11-26T10:20:00.000Z");
  });
});

describe("an admin marks a webhook as the team's own from the subscriber list", () => {
  it("marks and unmarks an API-made webhook; a viewer is offered neither and is refused", async () => {
    await seed();
    const admin = await signIn("admin");
    const list = await page(admin, "/admin/subscribers?channel=webhook");
    expect(list).toContain('action="/admin/subscribers/subhook00001/mark-team"');

    const marked = await post(admin, "/admin/subscribers/subhook00001/mark-team", { back: "/admin/subscribers" });
    expect(marked.status).toBe(303);
    expect(marked.headers.get("Location")).toContain("done=team-marked");
    const [row] = await testDb.db.select().from(subscribers).where(eq(subscribers.id, "subhook00001"));
    expect(row?.team).toBe(true);
    expect(await page(admin, "/admin/subscribers?channel=webhook")).toContain(
      'action="/admin/subscribers/subhook00001/unmark-team"',
    );

    const viewer = await signIn("viewer");
    expect(await page(viewer, "/admin/subscribers?channel=webhook")).not.toContain("-team");
    const refused = await post(viewer, "/admin/subscribers/subhook00001/unmark-team", { back: "/admin/subscribers" });
    expect(refused.status).toBe(403);
    const [still] = await testDb.db.select().from(subscribers).where(eq(subscribers.id, "subhook00001"));
    expect(still?.team).toBe(true);

    await post(admin, "/admin/subscribers/subhook00001/unmark-team", { back: "/admin/subscribers" });
    const [unmarked] = await testDb.db.select().from(subscribers).where(eq(subscribers.id, "subhook00001"));
    expect(unmarked?.team).toBe(false);
  });
});
