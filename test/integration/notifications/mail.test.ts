import { eq } from "drizzle-orm";
import { simpleParser } from "mailparser";
import MailComposer from "nodemailer/lib/mail-composer/index.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { run } from "../../../core/actions/run.ts";
import { createComponent } from "../../../core/components/create-component.ts";
import { newId } from "../../../core/model/ids.ts";
import { buildEmail, type EmailMessage } from "../../../core/notifications/email/build-email.ts";
import { emailMessagesFor } from "../../../core/notifications/email/channel.ts";
import { type NOTIFICATION_KINDS, TEMPLATED_KINDS } from "../../../core/notifications/events.ts";
import { loadMailView, type MailView } from "../../../core/notifications/mail-view.ts";
import { incidentUpdates, notificationEvents, page } from "../../../db/schema.ts";
import { openIncidentNow } from "../../helpers/actions.ts";
import { contextFor, createTestDb, manualClock, type TestDb } from "../../helpers/database.ts";
import { type MailFixtures, mailFixtures } from "../../helpers/mail-fixtures.ts";

let testDb: TestDb;
let fixtures: MailFixtures;

beforeEach(async () => {
  testDb = await createTestDb();
  fixtures = await mailFixtures(testDb.db);
});

afterEach(async () => {
  await testDb.cleanup();
});

async function view(kind: (typeof NOTIFICATION_KINDS)[number]): Promise<MailView> {
  const loaded = await loadMailView(testDb.db, fixtures.events[kind], { mailFrom: "Status <status@acme.test>" });
  if (!loaded) throw new Error(`no view for ${kind}`);
  return loaded;
}

async function mailFor(kind: (typeof NOTIFICATION_KINDS)[number]): Promise<EmailMessage> {
  const subscriber =
    kind === "subscription.confirm"
      ? fixtures.unconfirmed
      : kind === "webhook.disabled"
        ? fixtures.webhook
        : fixtures.subscriber;
  return buildEmail(await view(kind), subscriber, fixtures.links);
}

/** The "incident opened" mail a subscriber gets for an incident just opened. */
async function openedMail(
  incident: { id: string; incident_updates: { id: string }[] },
  componentIds: string[],
  at: Date,
): Promise<EmailMessage> {
  const event = {
    id: newId(),
    kind: "incident.opened",
    incidentId: incident.id,
    updateId: incident.incident_updates[0]?.id ?? null,
    subscriberId: null,
    componentIds,
    createdAt: at.toISOString(),
    fanoutCursor: null,
    fanoutDoneAt: null,
    queued: 0,
    sent: 0,
    failed: 0,
    bounced: 0,
    complained: 0,
  };
  await testDb.db.insert(notificationEvents).values(event);
  const loaded = await loadMailView(testDb.db, event);
  if (!loaded) throw new Error("no view");
  return buildEmail(loaded, fixtures.subscriber, fixtures.links);
}

function mime(message: EmailMessage): Promise<Buffer> {
  return new MailComposer(message).compile().build();
}

describe("subjects", () => {
  it("name the status or the kind of notice, then the incident", async () => {
    const subjects = Object.fromEntries(
      await Promise.all(TEMPLATED_KINDS.map(async (kind) => [kind, (await mailFor(kind)).subject])),
    );
    expect(subjects).toEqual({
      "alert.draft_waiting": "[Draft waiting] API is partially unavailable",
      "alert.draft_reminder": "[Draft still waiting] API is partially unavailable",
      "alert.draft_escalated": "[Escalated: draft waiting] API is partially unavailable",
      "incident.opened": "[Investigating] Elevated API error rates",
      "incident.updated": "[Identified] Elevated API error rates",
      "incident.resolved": "[Resolved] Elevated API error rates",
      "incident.reopened": "[Reopened] Elevated API error rates",
      "incident.update_overdue": "[Update overdue] Elevated API error rates",
      "incident.escalated": "[Escalated: update overdue] Elevated API error rates",
      "component.deprecated": "[Deprecated] API",
      "component.sunset_reminder": "[Leaving soon] API",
      "component.sunset": "[Sunset] API",
      "postmortem.published": "[Postmortem] Elevated API error rates",
      "maintenance.scheduled": "[Scheduled maintenance] Database upgrade",
      "maintenance.rescheduled": "[Rescheduled maintenance] Database upgrade",
      "maintenance.extended": "[Maintenance extended] Database upgrade",
      "maintenance.reminder": "[Maintenance reminder] Database upgrade",
      "maintenance.started": "[Maintenance in progress] Database upgrade",
      "maintenance.updated": "[Maintenance update] Database upgrade",
      "maintenance.completed": "[Maintenance completed] Database upgrade",
      "maintenance.cancelled": "[Maintenance cancelled] Database upgrade",
      "subscription.confirm": "Confirm your subscription to Acme Status",
      "webhook.disabled": "Your webhook to hooks.example.com was disabled",
      "review.weekly": "[Weekly review] Acme Status",
    });
  });
});

describe("headers", () => {
  it("offer one-click unsubscribe (https and mailto), a list id and say the mail is automatic", async () => {
    const message = await mailFor("incident.updated");
    expect(message.headers).toMatchObject({
      "List-Unsubscribe": `<${fixtures.links.unsubscribe}>, <mailto:status@acme.test?subject=unsubscribe>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
      "List-Id": "Acme Status <status.acme.test>",
      "Auto-Submitted": "auto-generated",
    });
    expect(message.from).toEqual({ name: "Acme Status", address: "status@acme.test" });
    expect(message.to).toBe("ada@example.com");
  });

  it("keep the same Message-ID every time the same mail is built, and thread under the incident's first mail", async () => {
    const opened = await mailFor("incident.opened");
    const updated = await mailFor("incident.updated");
    const again = await mailFor("incident.updated");
    const { events, subscriber } = fixtures;
    expect(opened.messageId).toBe(`<${events["incident.opened"].id}.${subscriber.id}@status.acme.test>`);
    expect(opened.inReplyTo).toBeUndefined();
    expect(opened.references).toBeUndefined();
    expect(again.messageId).toBe(updated.messageId);
    for (const kind of ["incident.updated", "incident.resolved", "postmortem.published"] as const) {
      const message = await mailFor(kind);
      expect(message.inReplyTo, kind).toBe(opened.messageId);
      expect(message.references, kind).toBe(opened.messageId);
    }
    expect((await mailFor("maintenance.completed")).inReplyTo).toBe((await mailFor("maintenance.scheduled")).messageId);
  });

  it("survive MIME: multipart/alternative with text and HTML, every header intact", async () => {
    const message = await mailFor("incident.updated");
    const raw = await mime(message);
    expect(raw.toString("utf8")).toMatch(/Content-Type: multipart\/alternative/);
    const parsed = await simpleParser(raw);
    expect(parsed.subject).toBe("[Identified] Elevated API error rates");
    expect(parsed.messageId).toBe(message.messageId);
    expect(parsed.inReplyTo).toBe(message.inReplyTo);
    expect(parsed.references).toBe(message.references);
    const line = (key: string) => parsed.headerLines.find((h) => h.key === key)?.line;
    expect(line("list-unsubscribe-post")).toBe("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
    expect(parsed.headers.get("auto-submitted")).toBe("auto-generated");
    expect(parsed.headers.get("list")).toMatchObject({
      unsubscribe: { url: fixtures.links.unsubscribe, mail: "status@acme.test?subject=unsubscribe" },
      id: { name: "Acme Status", id: "status.acme.test" },
    });
    expect(parsed.text?.trim()).toBe(message.text.trim());
    expect(parsed.html).toBe(message.html);
  });

  it("never carry a line break from a name into a header", async () => {
    await testDb.db.run(`UPDATE page SET name = 'Acme' || char(13) || char(10) || 'Bcc: victim@example.com'`);
    await testDb.db.run(
      `UPDATE incidents SET name = 'Down' || char(10) || 'X-Evil: 1' WHERE id = '${fixtures.incidentId}'`,
    );
    const message = await mailFor("incident.updated");
    expect(message.subject).toBe("[Identified] Down X-Evil: 1");
    expect(message.from.name).toBe("Acme Bcc: victim@example.com");
    expect(message.headers["List-Id"]).toBe('"Acme Bcc: victim@example.com" <status.acme.test>');
    const parsed = await simpleParser(await mime(message));
    expect(parsed.headers.has("bcc")).toBe(false);
    expect(parsed.headers.has("x-evil")).toBe(false);
  });

  it("personal mails carry no unsubscribe: a confirmation goes to the new address, a webhook notice to its owner", async () => {
    const confirm = await mailFor("subscription.confirm");
    expect(confirm.to).toBe("grace@example.com");
    expect(confirm.headers["List-Unsubscribe"]).toBeUndefined();
    expect(confirm.html).toContain(`href="${fixtures.links.confirm}"`);
    expect(confirm.text).toContain(fixtures.links.confirm);
    expect(confirm.text).toMatch(/- API\n/);
    expect(confirm.text).toMatch(/works until Nov 28, 2026, \d\d:\d\d UTC/);
    const disabled = await mailFor("webhook.disabled");
    expect(disabled.to).toBe("ops@example.com");
    expect(disabled.text).toContain("https://hooks.example.com/herald");
    const overdue = await mailFor("incident.update_overdue");
    expect(overdue.headers["List-Unsubscribe"]).toBeUndefined();
    expect(overdue.text).toMatch(/The next update on this incident is overdue/);
  });
});

describe("the team's overdue reminder", () => {
  it("links to the incident's console screen under PUBLIC_URL, where the commander posts; subscribers' mails do not", async () => {
    const clock = manualClock("2026-11-26T12:00:00.000Z");
    const ctx = { db: testDb.db, clock, publicUrl: "https://herald.acme.test/", mailFrom: "status@acme.test" };
    const build = await emailMessagesFor(ctx, fixtures.events["incident.update_overdue"]);
    const overdue = await build?.(fixtures.subscriber);
    const screen = `https://herald.acme.test/admin/incidents/${fixtures.incidentId}#post`;
    expect(overdue?.text).toContain(`Post an update in the console: ${screen}`);
    expect(overdue?.html).toContain(`href="${screen}"`);
    const updated = await (await emailMessagesFor(ctx, fixtures.events["incident.updated"]))?.(fixtures.subscriber);
    expect(updated?.text).not.toContain("/admin/");
    expect(updated?.html).not.toContain("/admin/");
  });
});

describe("content", () => {
  it("shows the update exactly as the page stores it, and its text version", async () => {
    const [stored] = await testDb.db
      .select({ html: incidentUpdates.bodyHtml })
      .from(incidentUpdates)
      .where(eq(incidentUpdates.id, fixtures.updateIds.identified));
    const message = await mailFor("incident.updated");
    expect(stored?.html).toBeTruthy();
    expect(message.html.split(stored?.html ?? "!").length).toBe(2);
    expect(message.text).toContain(
      "We found the cause: a bad deploy of the edge proxy\n(https://example.com/changelog).",
    );
    expect(message.text).toContain(
      "- Rolling back now\n- Dashboards may lag by a few minutes\n\nThanks for your patience.",
    );
  });

  it("lists the affected components with the status this update gave them, and links to the incident and preferences", async () => {
    const message = await mailFor("incident.updated");
    expect(message.text).toContain("- API: Major outage\n- Dashboard: Degraded performance");
    const resolved = await mailFor("incident.resolved");
    expect(resolved.text).toContain("- API: Operational\n- Dashboard: Operational");
    const incidentUrl = `https://status.acme.test/incidents/${fixtures.incidentId}/`;
    expect(message.html).toContain(`href="${incidentUrl}"`);
    expect(message.html).toContain(`href="${fixtures.links.preferences}"`);
    expect(message.text).toContain(incidentUrl);
    expect(message.text).toContain(fixtures.links.preferences);
  });

  it('says "Next update by" as the page does while the promise stands', async () => {
    const clock = manualClock("2026-11-27T08:00:00.000Z");
    const ctx = contextFor(testDb.db, clock);
    const cdn = await run(ctx, createComponent, { name: "CDN" });
    const incident = await openIncidentNow(ctx, {
      name: "CDN latency",
      body: "Looking into it.",
      components: { [cdn.id]: "degraded_performance" },
      next_update_in_minutes: 30,
    });
    const message = await openedMail(incident, [cdn.id], clock.now());
    expect(message.text).toContain("Next update by 08:30 UTC");
    expect(message.html).toContain("Next update by</dt>");
    expect(message.html).toContain("08:30 UTC");
    // An update that is no longer the latest does not repeat a later promise.
    expect((await mailFor("incident.updated")).text).not.toContain("Next update by");
  });

  it("writes every time in the page's time zone, as the update text a template wrote does", async () => {
    await testDb.db.update(page).set({ timeZone: "America/New_York" });
    const clock = manualClock("2026-11-27T08:00:00.000Z");
    const ctx = contextFor(testDb.db, clock);
    const incident = await openIncidentNow(ctx, {
      name: "CDN latency",
      body: "Looking into it. Next update by 03:30 EST.",
      next_update_in_minutes: 30,
    });
    const message = await openedMail(incident, [], clock.now());
    expect(message.text).toContain("Next update by 03:30 EST");
    expect(message.text).toContain("Nov 27, 2026, 03:00 EST");
    expect(message.text).not.toContain("UTC");
  });

  it("escapes hostile names in HTML and keeps emoji and right-to-left text intact", async () => {
    await testDb.cleanup();
    testDb = await createTestDb();
    fixtures = await mailFixtures(testDb.db, {
      page: `<img src=x onerror=alert(1)> "Acme" & Co`,
      incident: `<script>alert("x")</script> 🔥 API down — عطل في الخدمة`,
      component: `<b>API</b> ☁️`,
    });
    const message = await mailFor("incident.updated");
    expect(message.html).not.toContain("<script>");
    expect(message.html).not.toContain("<img");
    expect(message.html).not.toContain("<b>API");
    expect(message.html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; 🔥 API down — عطل في الخدمة");
    expect(message.html).toContain("&lt;b&gt;API&lt;/b&gt; ☁️");
    expect(message.subject).toBe(`[Identified] <script>alert("x")</script> 🔥 API down — عطل في الخدمة`);
    expect(message.text).toContain("- <b>API</b> ☁️: Major outage");
    const parsed = await simpleParser(await mime(message));
    expect(parsed.subject).toBe(message.subject);
    expect(parsed.from?.value[0]?.name).toBe(`<img src=x onerror=alert(1)> "Acme" & Co`);
  });

  it("gives each subscriber of one event their own address and links, and nobody else's", async () => {
    const loaded = await view("incident.updated");
    const links = (n: number) => ({
      preferences: `https://status.acme.test/subscribe/manage?token=m${n}&x=1`,
      unsubscribe: `https://status.acme.test/subscribe/unsubscribe?token=u${n}`,
    });
    const first = buildEmail(loaded, { id: "sub1", address: "one@example.com", ownerEmail: null }, links(1));
    const second = buildEmail(loaded, { id: "sub2", address: "two@example.com", ownerEmail: null }, links(2));
    expect(first.html).toContain('href="https://status.acme.test/subscribe/manage?token=m1&amp;x=1"');
    expect(first.text).toContain("https://status.acme.test/subscribe/manage?token=m1&x=1");
    expect(first.text).toContain("one@example.com");
    for (const part of [second.html, second.text, JSON.stringify(second.headers)]) {
      // The whole token values: a random id elsewhere in the mail may contain "m1" by chance.
      expect(part).not.toMatch(/token=m1|token=u1|one@example/);
    }
    expect(second.messageId).toBe(`<${fixtures.events["incident.updated"].id}.sub2@status.acme.test>`);
    expect(() => buildEmail(loaded, fixtures.subscriber, { ...links(3), unsubscribe: "/relative" })).toThrow(
      /absolute/,
    );
  });

  it("has nothing to send once the incident is gone", async () => {
    await testDb.db.run(`DELETE FROM incidents WHERE id = '${fixtures.incidentId}'`);
    expect(await loadMailView(testDb.db, fixtures.events["incident.updated"])).toBeNull();
  });
});
