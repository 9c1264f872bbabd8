import { eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ActionContext } from "../../../core/actions/context.ts";
import { draftNoticeIds } from "../../../core/alerts/drafts/notice-ids.ts";
import { newId } from "../../../core/model/ids.ts";
import { EMAIL_RETRY, WEBHOOK_RETRY } from "../../../core/notifications/channel.ts";
import { emailMessagesFor } from "../../../core/notifications/email/channel.ts";
import { NOTIFICATION_KINDS, type NotificationKind } from "../../../core/notifications/events.ts";
import { notificationStatements } from "../../../core/notifications/queue-event.ts";
import { webhookMessagesFor } from "../../../core/notifications/webhook/channel.ts";
import { paths } from "../../../core/public/paths.ts";
import { weeklyReviewIds } from "../../../core/review/weekly/schedule.ts";
import { overdueEventIds, teamRecipient } from "../../../core/scheduler/overdue-reminders.ts";
import { tick } from "../../../core/scheduler/tick.ts";
import { linkSigner } from "../../../core/subscribers/signed-links.ts";
import { deliveries, notificationEvents, subscribers } from "../../../db/schema.ts";
import { fanOut } from "../../../jobs/notify/fan-out.ts";
import { smtpTransport } from "../../../jobs/notify/mail-transports.ts";
import { type Sender, startSender } from "../../../jobs/notify/sender.ts";
import { createWebhookTransport } from "../../../jobs/notify/webhook-transport.ts";
import { insertWaitingDraft } from "../../helpers/alert-drafts.ts";
import { createTestApi, PRIVATE_WEBHOOKS_ALLOWED, type TestApi } from "../../helpers/api.ts";
import { contextFor, manualClock } from "../../helpers/database.ts";
import { type SmtpSink, startSmtpSink } from "../../helpers/smtp-sink.ts";
import { startWebhookReceiver } from "../../helpers/webhook-receiver.ts";

/**
 * Every notification kind, sent for real (fan-out, the sender, the SMTP sink, an HTTP receiver), to
 * one recipient of each audience and channel: who gets what is written out here by hand, not read
 * from the registry, so a wrong registry entry fails.
 */

type Receiver = Awaited<ReturnType<typeof startWebhookReceiver>>;

let api: TestApi;
let ctx: ActionContext;
let sink: SmtpSink;
let receiver: Receiver;
let sender: Sender | null = null;
let apiComponent: string;
let websiteComponent: string;

beforeEach(async () => {
  api = await createTestApi(manualClock(new Date().toISOString()), PRIVATE_WEBHOOKS_ALLOWED);
  ctx = contextFor(api.db, api.clock);
  sink = await startSmtpSink(api.dir);
  receiver = await startWebhookReceiver();
  apiComponent = (await api.request<{ id: string }>("POST", "/api/components", { json: { name: "API" } })).body.id;
  websiteComponent = (await api.request<{ id: string }>("POST", "/api/components", { json: { name: "Website" } })).body
    .id;
});

afterEach(async () => {
  await sender?.stop();
  sender = null;
  await receiver.close();
  await sink.stop();
  await api.cleanup();
});

function startSending(): void {
  sender = startSender({
    db: api.db,
    clock: api.clock,
    channels: {
      email: {
        channel: { name: "email", retry: EMAIL_RETRY, forEvent: emailMessagesFor },
        transport: smtpTransport(sink.url),
      },
      webhook: {
        channel: { name: "webhook", retry: WEBHOOK_RETRY, forEvent: webhookMessagesFor },
        transport: createWebhookTransport({ policy: { allowPrivate: true }, timeoutMs: 2000 }),
      },
    },
    context: {
      db: api.db,
      clock: api.clock,
      publicUrl: "https://status.acme.test",
      linkSecret: api.linkSecret,
      mailFrom: "status@acme.test",
    },
    pollMs: 20,
    log: () => {},
  });
}

async function ok<T>(method: string, path: string, json: unknown, as: "admin" | "commander" = "admin"): Promise<T> {
  const response = await api.request<T>(method, path, { as, json });
  expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBeLessThan(300);
  return response.body;
}

/** A mail subscriber added by an admin (confirmed), optionally scoped. */
async function mailSubscriber(address: string, components?: string[]): Promise<string> {
  return (await ok<{ id: string }>("POST", "/api/subscribers", { address, ...(components && { components }) })).id;
}

/** A webhook an admin adds, the team's own or not. */
async function adminWebhook(path: string, format: string, team: boolean): Promise<string> {
  const body = { url: receiver.url(path), format, owner_email: "ops@acme.test", ...(team && { team }) };
  return (await ok<{ id: string; team: boolean }>("POST", "/api/webhooks", body)).id;
}

/** A webhook a stranger subscribes on the public `/subscribe/` form, confirmed by its owner's link. */
async function formWebhook(path: string, format: string): Promise<string> {
  const posted = await api.app.request(paths.subscribe(), {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email: "stranger@example.com", webhook_url: receiver.url(path), webhook_format: format }),
  });
  expect(posted.status).toBe(202);
  const [row] = await api.db
    .select()
    .from(subscribers)
    .where(eq(subscribers.address, receiver.url(path)));
  if (!row) throw new Error("the form made no webhook");
  const token = await (await linkSigner(api.db, api.clock, api.linkSecret)).sign(
    { subscriberId: row.id, purpose: "confirm" },
    api.clock.now(),
  );
  const confirmed = await api.app.request(paths.confirmSubscription(token), { method: "POST" });
  expect(confirmed.status).toBe(200);
  expect((await stored(row.id)).state).toBe("active");
  return row.id;
}

async function stored(id: string) {
  const [row] = await api.db.select().from(subscribers).where(eq(subscribers.id, id));
  if (!row) throw new Error(`no subscriber ${id}`);
  return row;
}

/** Writes one event as its producers do (the event row and its notify job in one batch) and fans it out. */
async function emit(
  kind: NotificationKind,
  about: { incidentId?: string; subscriberId?: string; componentIds?: string[]; id?: string | undefined },
): Promise<string> {
  const planned = notificationStatements(api.db, {
    kind,
    at: api.clock.now().toISOString(),
    incidentId: about.incidentId ?? null,
    subscriberId: about.subscriberId ?? null,
    componentIds: about.componentIds ?? [],
    id: about.id ?? newId(),
  });
  const [first, ...rest] = planned.statements;
  if (first) await api.db.batch([first, ...rest]);
  await fanOut(api.db, api.clock, planned.eventId);
  return planned.eventId;
}

/** Waits until no delivery is queued or sending, then returns who received each event, by name. */
async function received(names: Map<string, string>): Promise<Map<string, string[]>> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const [pending] = await api.db.all<{ n: number }>(
      sql`SELECT count(*) AS n FROM deliveries WHERE state IN ('queued', 'sending')`,
    );
    if (pending?.n === 0) break;
    if (Date.now() > deadline) throw new Error(`${pending?.n} deliveries still pending`);
    sender?.wake();
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  const byEvent = new Map<string, string[]>();
  const add = (eventId: string, subscriberId: string, channel: string) => {
    const who = `${names.get(subscriberId) ?? subscriberId} (${channel})`;
    byEvent.set(eventId, [...(byEvent.get(eventId) ?? []), who].sort());
  };
  for (const mail of sink.accepted()) {
    const match = /^<([^.]+)\.([^@]+)@/.exec(mail.messageId);
    if (match?.[1] && match[2]) add(match[1], match[2], "mail");
  }
  for (const post of receiver.received) {
    const match = /^msg_(.+)_([^_]+)$/.exec(String(post.headers["webhook-id"]));
    if (match?.[1] && match[2]) add(match[1], match[2], "webhook");
  }
  return byEvent;
}

describe("who hears about each kind of event", () => {
  it("public events reach matching subscribers on every channel, team events only the team, personal ones their one recipient", async () => {
    await ok("PATCH", "/api/page", { team_email: "oncall@acme.test" });
    const incident = await ok<{ id: string }>(
      "POST",
      "/api/incidents",
      {
        name: "Elevated API latency",
        status: "investigating",
        body: "Slow.",
        components: { [apiComponent]: "degraded_performance" },
      },
      "commander",
    );
    const maintenance = await ok<{ id: string }>(
      "POST",
      "/api/incidents",
      {
        kind: "maintenance",
        name: "Database upgrade",
        status: "scheduled",
        body: "Upgrading.",
        scheduled_for: new Date(Date.now() + 86_400_000).toISOString(),
        scheduled_until: new Date(Date.now() + 90_000_000).toISOString(),
        components: { [apiComponent]: "operational" },
      },
      "commander",
    );
    const names = new Map<string, string>();
    const name = (id: string, as: string) => {
      names.set(id, as);
      return id;
    };
    name(await mailSubscriber("everything@example.com"), "subscriber, whole page");
    name(await mailSubscriber("api@example.com", [apiComponent]), "subscriber, API only");
    name(await mailSubscriber("website@example.com", [websiteComponent]), "subscriber, Website only");
    for (const format of ["json", "slack", "discord", "teams"])
      name(await adminWebhook(`/${format}`, format, false), `webhook ${format}`);
    name(await formWebhook("/form", "slack"), "subscribe-form webhook");
    name(await adminWebhook("/team-json", "json", true), "team webhook json");
    name(await adminWebhook("/team-slack", "slack", true), "team webhook slack");
    // A form webhook whose row says team (a hand edit, an old bug) is still never a team destination.
    const tampered = name(await formWebhook("/form-tampered", "discord"), "subscribe-form webhook marked team");
    await api.db.update(subscribers).set({ team: true }).where(eq(subscribers.id, tampered));
    const team = await teamRecipient(api.db, "oncall@acme.test", api.clock.now());
    if (!team) throw new Error("no team address");
    for (const statement of team.statements) await statement;
    name(team.subscriberId, "team address");
    const unconfirmed = name(
      (await ok<{ id: string }>("POST", "/api/subscribers", { address: "new@example.com" })).id,
      "new subscriber",
    );
    await api.db.update(subscribers).set({ state: "unconfirmed" }).where(eq(subscribers.id, unconfirmed));
    const disabled = name(await adminWebhook("/broken", "json", false), "disabled webhook's owner");
    await api.db.update(subscribers).set({ state: "disabled" }).where(eq(subscribers.id, disabled));
    // The actions above told subscribers nothing yet (no sender ran); start from an empty outbox.
    await api.db.delete(deliveries);
    await api.db.delete(notificationEvents);

    const everyPublicRecipient = [
      "subscribe-form webhook (webhook)",
      "subscribe-form webhook marked team (webhook)",
      "subscriber, API only (mail)",
      "subscriber, whole page (mail)",
      "team webhook json (webhook)",
      "team webhook slack (webhook)",
      "webhook discord (webhook)",
      "webhook json (webhook)",
      "webhook slack (webhook)",
      "webhook teams (webhook)",
    ];
    const teamOnly = ["team webhook json (webhook)", "team webhook slack (webhook)"];
    const expected: Record<NotificationKind, { addressed?: string[]; listed: string[] }> = {
      "incident.opened": { listed: everyPublicRecipient },
      "incident.updated": { listed: everyPublicRecipient },
      "incident.resolved": { listed: everyPublicRecipient },
      "incident.reopened": { listed: everyPublicRecipient },
      "incident.update_overdue": { addressed: ["team address (mail)"], listed: teamOnly },
      // Personal: only the one person it names (test/integration/escalation/), never a list.
      "incident.escalated": { listed: [] },
      "alert.draft_waiting": { addressed: ["team address (mail)"], listed: teamOnly },
      "alert.draft_reminder": { addressed: ["team address (mail)"], listed: teamOnly },
      // Listed: the team's webhooks; by mail, addressed by the weekly tick to the team address and each admin
      // (test/integration/review/weekly-review.test.ts).
      "review.weekly": { listed: teamOnly },
      // Personal: only the one person of the escalation policy's level it names, never a list.
      "alert.draft_escalated": { listed: [] },
      // A person's link: only to the address it names (test/integration/people/), never a list.
      "person.invitation": { listed: [] },
      "person.sign_in_link": { listed: [] },
      "postmortem.published": { listed: everyPublicRecipient },
      "maintenance.scheduled": { listed: everyPublicRecipient },
      "maintenance.rescheduled": { listed: everyPublicRecipient },
      "maintenance.reminder": { listed: everyPublicRecipient },
      "maintenance.started": { listed: everyPublicRecipient },
      "maintenance.updated": { listed: everyPublicRecipient },
      "maintenance.extended": { listed: everyPublicRecipient },
      "maintenance.completed": { listed: everyPublicRecipient },
      "maintenance.cancelled": { listed: everyPublicRecipient },
      // Only subscriptions naming the component (or its group); never whole-page ones (docs/inventory.md).
      "component.deprecated": { listed: ["subscriber, API only (mail)"] },
      "component.sunset_reminder": { listed: ["subscriber, API only (mail)"] },
      "component.sunset": { listed: ["subscriber, API only (mail)"] },
      "subscription.confirm": { addressed: ["new subscriber (mail)"], listed: [] },
      "webhook.disabled": { addressed: ["disabled webhook's owner (mail)"], listed: [] },
    };
    expect(Object.keys(expected).sort()).toEqual([...NOTIFICATION_KINDS].sort());

    const recipients = [...names.keys()];
    const emitted: { kind: NotificationKind; how: "listed" | "addressed"; to: string | null; eventId: string }[] = [];
    for (const kind of NOTIFICATION_KINDS) {
      const incidentId = kind.startsWith("maintenance.") ? maintenance.id : incident.id;
      const personal = kind === "subscription.confirm" || kind === "webhook.disabled";
      const draftKind = kind === "alert.draft_waiting" || kind === "alert.draft_reminder";
      const about = personal
        ? {}
        : draftKind
          ? { componentIds: [apiComponent] }
          : { incidentId, componentIds: [apiComponent] };
      // A draft's notice names its draft by its id (core/alerts/drafts/notice-ids.ts): one draft per event here.
      const draftEventId = async () =>
        draftKind
          ? draftNoticeIds(
              (await insertWaitingDraft(api.db, api.clock.now(), { components: { [apiComponent]: "partial_outage" } }))
                .id,
              kind === "alert.draft_waiting" ? 0 : 1,
            ).webhooks
          : undefined;
      // Listed: fan-out chooses. Addressed to each recipient in turn: only those the contract allows get it.
      // The weekly review's webhooks read their week from the event's id (core/review/weekly/schedule.ts).
      const reviewId = kind === "review.weekly" ? weeklyReviewIds.webhooks("2026-W10") : undefined;
      emitted.push({
        kind,
        how: "listed",
        to: null,
        eventId: await emit(
          kind,
          kind === "review.weekly" ? { componentIds: [], id: reviewId } : { ...about, id: await draftEventId() },
        ),
      });
      const addressable = personal
        ? [kind === "subscription.confirm" ? unconfirmed : disabled]
        : kind === "incident.update_overdue" || draftKind
          ? recipients
          : [];
      for (const subscriberId of addressable)
        emitted.push({
          kind,
          how: "addressed",
          to: subscriberId,
          eventId: await emit(kind, { ...about, subscriberId, id: await draftEventId() }),
        });
    }
    startSending();
    const got = await received(names);

    for (const kind of NOTIFICATION_KINDS) {
      const listed = emitted.find((e) => e.kind === kind && e.how === "listed");
      expect(got.get(listed?.eventId ?? "") ?? [], `${kind}, fanned out`).toEqual(expected[kind].listed);
      const addressed = emitted
        .filter((e) => e.kind === kind && e.how === "addressed")
        .flatMap((e) => got.get(e.eventId) ?? []);
      expect(addressed.sort(), `${kind}, addressed`).toEqual(expected[kind].addressed ?? []);
    }
  });
});

describe("the update-overdue reminder", () => {
  it("reaches the team address and the team's webhook, never a webhook subscribed on the /subscribe/ form", async () => {
    const reader = await mailSubscriber("reader@example.com");
    const strangers = await formWebhook("/form", "slack");
    const ours = await adminWebhook("/team", "slack", true);
    const incident = await ok<{ id: string; next_update_at: string }>(
      "POST",
      "/api/incidents",
      { name: "Elevated API latency", status: "investigating", body: "Looking into it.", next_update_in_minutes: 15 },
      "commander",
    );
    await api.db.delete(deliveries);
    await api.db.delete(notificationEvents);
    api.clock.advance(16 * 60_000);
    const scheduler = { ...ctx, settings: { teamEmail: "oncall@acme.test" } };
    expect((await tick(scheduler)).overdue).toEqual([incident.id]);
    const ids = overdueEventIds({ id: incident.id, nextUpdateDueAt: incident.next_update_at });
    await fanOut(api.db, api.clock, ids.webhooks);
    await fanOut(api.db, api.clock, ids.team);
    startSending();
    const got = await received(
      new Map([
        [reader, "reader"],
        [strangers, "stranger's webhook"],
        [ours, "team webhook"],
      ]),
    );

    expect(receiver.received.filter((post) => post.path === "/form")).toEqual([]);
    const team = receiver.received.filter((post) => post.path === "/team");
    expect(team).toHaveLength(1);
    expect(JSON.parse(team[0]?.body ?? "{}").text).toMatch(/^\[Update overdue\] Elevated API latency: /);
    expect(got.get(ids.webhooks)).toEqual(["team webhook (webhook)"]);
    expect(sink.accepted().map((mail) => mail.to)).toEqual(["oncall@acme.test"]);
  });
});

describe("the team address", () => {
  it("is one: when the setting changes, the former address is a plain subscriber row again", async () => {
    const reader = await mailSubscriber("lead@example.com");
    const first = await teamRecipient(api.db, "lead@example.com", api.clock.now());
    for (const statement of first?.statements ?? []) await statement;
    expect(first?.subscriberId).toBe(reader);
    expect(await stored(reader)).toMatchObject({ state: "active", team: true });
    const second = await teamRecipient(api.db, "oncall@acme.test", api.clock.now());
    for (const statement of second?.statements ?? []) await statement;
    expect(await stored(reader)).toMatchObject({ state: "active", team: false });
    expect(await stored(second?.subscriberId ?? "")).toMatchObject({ state: "unsubscribed", team: true });
  });
});

describe("the team address, changed in the page settings", () => {
  it("is no longer shown as the team's the moment the setting moves on", async () => {
    const lead = await mailSubscriber("lead@example.com");
    const first = await teamRecipient(api.db, "lead@example.com", api.clock.now());
    for (const statement of first?.statements ?? []) await statement;
    expect(await stored(lead)).toMatchObject({ team: true });
    await ok("PATCH", "/api/page", { team_email: "oncall@acme.test" }, "admin");
    expect(await stored(lead)).toMatchObject({ state: "active", team: false });
  });
});

describe("the sender's second look", () => {
  it("fails a team event's delivery to a subscriber unsent, without counting it against the subscriber", async () => {
    const strangers = await formWebhook("/form", "json");
    const incident = await ok<{ id: string }>(
      "POST",
      "/api/incidents",
      { name: "Elevated API latency", status: "investigating", body: "Looking into it." },
      "commander",
    );
    const eventId = await emit("incident.update_overdue", { incidentId: incident.id });
    expect(await api.db.select().from(deliveries).where(eq(deliveries.eventId, eventId))).toEqual([]);
    // A row fan-out would never write (a bug elsewhere, a hand edit): the sender still refuses it.
    const now = api.clock.now().toISOString();
    await api.db.insert(deliveries).values({
      id: newId(),
      eventId,
      subscriberId: strangers,
      state: "queued",
      attempts: 0,
      nextAttemptAt: now,
      createdAt: now,
    });
    await api.db.run(sql`UPDATE notification_events SET queued = 1 WHERE id = ${eventId}`);
    startSending();
    await received(new Map());

    expect(receiver.received).toEqual([]);
    const [delivery] = await api.db.select().from(deliveries).where(eq(deliveries.eventId, eventId));
    expect(delivery).toMatchObject({ state: "failed", lastError: expect.stringMatching(/^not sent: /) });
    const [event] = await api.db.select().from(notificationEvents).where(eq(notificationEvents.id, eventId));
    expect(event).toMatchObject({ queued: 1, sent: 0, failed: 1 });
    expect(await stored(strangers)).toMatchObject({ state: "active", hardFailures: 0, failingSince: null });
  });
});

describe("marking a webhook as the team's own", () => {
  it("an admin marks one on creation or later; a subscribe-form webhook cannot be marked, nor ask to be", async () => {
    const created = await ok<{ id: string; team: boolean }>("POST", "/api/webhooks", {
      url: receiver.url("/ours"),
      format: "slack",
      owner_email: "ops@acme.test",
      team: true,
    });
    expect(created.team).toBe(true);
    const plain = await adminWebhook("/plain", "json", false);
    expect((await ok<{ team: boolean }>("PATCH", `/api/webhooks/${plain}`, { team: true })).team).toBe(true);
    expect((await ok<{ team: boolean }>("PATCH", `/api/webhooks/${plain}`, { team: false })).team).toBe(false);
    const listed = await ok<{ id: string; team: boolean }[]>("GET", "/api/webhooks", undefined);
    expect(new Map(listed.map((w) => [w.id, w.team]))).toEqual(
      new Map([
        [created.id, true],
        [plain, false],
      ]),
    );

    const commander = await api.request("PATCH", `/api/webhooks/${plain}`, { as: "commander", json: { team: true } });
    expect(commander.status).toBe(403);

    const strangers = await formWebhook("/form", "slack");
    const refused = await api.request<{ errors: { path: string; message: string }[] }>(
      "PATCH",
      `/api/webhooks/${strangers}`,
      { as: "admin", json: { team: true } },
    );
    expect(refused.status).toBe(422);
    expect(refused.headers.get("Content-Type")).toContain("application/problem+json");
    expect(refused.body.errors).toEqual([{ path: "team", message: expect.stringMatching(/subscribe-form/) }]);
    expect((await stored(strangers)).team).toBe(false);

    const asked = await api.app.request(paths.subscribe(), {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: "mallory@example.com", webhook_url: receiver.url("/sneaky"), team: true }),
    });
    expect(asked.status).toBe(422);
    expect(
      await api.db
        .select()
        .from(subscribers)
        .where(eq(subscribers.address, receiver.url("/sneaky"))),
    ).toEqual([]);
  });

  it("the console's subscriber list says which webhooks are the team's", async () => {
    const ours = await adminWebhook("/ours", "slack", true);
    await adminWebhook("/theirs", "json", false);
    const origin = "http://herald.test";
    const signedIn = await api.app.request(`${origin}/admin/sign-in`, {
      method: "POST",
      headers: { Origin: origin, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: api.tokens.admin }),
    });
    const cookie = (signedIn.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "";
    const screen = await (
      await api.app.request(`${origin}/admin/subscribers?channel=webhook`, { headers: { Cookie: cookie } })
    ).text();
    const rows = [...screen.matchAll(/<span class="mono">([^<]+)<\/span><div class="meta">([^<]+)<\/div>/g)].map(
      (m) => `${m[1]}: ${m[2]}`,
    );
    expect(rows.sort()).toEqual([
      `${receiver.url("/ours")}: Webhook · team · whole page`,
      `${receiver.url("/theirs")}: Webhook · whole page`,
    ]);
    expect((await stored(ours)).team).toBe(true);
  });
});
