import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { eq, sql } from "drizzle-orm";
import { simpleParser } from "mailparser";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { systemClock } from "../../../core/actions/clock.ts";
import { commitChange } from "../../../core/changes/commit.ts";
import { type Deliveries, EMAIL_RETRY, WEBHOOK_RETRY } from "../../../core/notifications/channel.ts";
import { emailMessagesFor } from "../../../core/notifications/email/channel.ts";
import { notificationStatements } from "../../../core/notifications/queue-event.ts";
import { webhookMessagesFor } from "../../../core/notifications/webhook/channel.ts";
import { DISABLE_AFTER_PERMANENT_FAILURES } from "../../../core/notifications/webhook/health.ts";
import { newWebhookSecret } from "../../../core/webhooks/secret.ts";
import { deliveries, notificationEvents, subscribers } from "../../../db/schema.ts";
import { fanOut } from "../../../jobs/notify/fan-out.ts";
import { emlTransport, smtpTransport } from "../../../jobs/notify/mail-transports.ts";
import { type Sender, startSender } from "../../../jobs/notify/sender.ts";
import { createWebhookTransport } from "../../../jobs/notify/webhook-transport.ts";
import { contextFor, createTestDb, setupPage, type TestDb } from "../../helpers/database.ts";
import { type SmtpSink, startSmtpSink } from "../../helpers/smtp-sink.ts";
import { addSubscribers, deliveryStates, openQuietIncident } from "../../helpers/subscribers.ts";
import { startWebhookReceiver } from "../../helpers/webhook-receiver.ts";

let t: TestDb;
let sink: SmtpSink;
let sender: Sender | null = null;
const clock = systemClock;

beforeEach(async () => {
  t = await createTestDb();
  await setupPage(t.db, clock);
  sink = await startSmtpSink(t.dir, { raw: true });
});
afterEach(async () => {
  await sender?.stop();
  sender = null;
  await sink.stop();
  await t.cleanup();
});

function emailVia(
  transport: Deliveries["email"] extends infer D ? (D extends { transport: infer T } ? T : never) : never,
): Deliveries {
  return { email: { channel: { name: "email", retry: EMAIL_RETRY, forEvent: emailMessagesFor }, transport } };
}

function send(channels: Deliveries, options: { takeoverMs?: number; heartbeatMs?: number } = {}): Sender {
  sender = startSender({
    db: t.db,
    clock,
    channels,
    context: { db: t.db, clock, publicUrl: "https://status.acme.test", mailFrom: "Acme Status <status@acme.test>" },
    pollMs: 50,
    log: () => {},
    ...options,
  });
  return sender;
}

async function notifyEveryone(): Promise<string> {
  const planned = notificationStatements(t.db, {
    kind: "incident.opened",
    incidentId: await openQuietIncident(t.db, clock),
    at: clock.now().toISOString(),
    componentIds: [],
  });
  await commitChange(contextFor(t.db, clock), {
    ...planned,
    audit: { action: "test.event", targetType: "event", targetId: planned.eventId, details: {} },
  });
  await fanOut(t.db, clock, planned.eventId);
  return planned.eventId;
}

async function until(check: () => Promise<boolean> | boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function event(id: string) {
  const [row] = await t.db.select().from(notificationEvents).where(eq(notificationEvents.id, id));
  return row;
}

describe("the sender", () => {
  it("delivers one event to N subscribers as exactly N mails, each marked sent with the server's reply", async () => {
    await addSubscribers(t.db, 120);
    const eventId = await notifyEveryone();
    send(emailVia(smtpTransport(sink.url)));
    await until(async () => (await deliveryStates(t.db)).sent === 120);
    const mails = await sink.mails();
    expect(mails).toHaveLength(120);
    expect(new Set(mails.map((m) => m.messageId)).size).toBe(120);
    expect(new Set(sink.accepted().map((m) => m.to)).size).toBe(120);
    const [row] = await t.db.select().from(deliveries).limit(1);
    expect(row?.serverReply).toMatch(/^250 /);
    expect(mails.map((m) => m.messageId)).toContain(row?.messageId);
    expect(await event(eventId)).toMatchObject({ queued: 120, sent: 120, failed: 0 });
  });

  it("retries a mail the server deferred (4xx) and marks it sent when it is accepted", async () => {
    await addSubscribers(t.db, 1, { address: () => "tempfail@example.test" });
    const eventId = await notifyEveryone();
    send(emailVia(smtpTransport(sink.url)));
    await until(async () => (await t.db.select().from(deliveries))[0]?.attempts === 1);
    const [deferred] = await t.db.select().from(deliveries);
    expect(deferred).toMatchObject({ state: "queued", lastError: expect.stringMatching(/^451/) });
    await until(async () => (await deliveryStates(t.db)).sent === 1, 10_000);
    expect(sink.accepted()).toHaveLength(1);
    expect(await event(eventId)).toMatchObject({ sent: 1, failed: 0 });
  });

  it("fails a mail the server refuses (5xx) and quarantines the address after three in a row", async () => {
    const [bouncing] = await addSubscribers(t.db, 1, { address: () => "bounce@example.test" });
    await addSubscribers(t.db, 3, { prefix: "ok" });
    send(emailVia(smtpTransport(sink.url)));
    for (let round = 1; round <= 3; round++) {
      const eventId = await notifyEveryone();
      sender?.wake();
      await until(async () => {
        const row = await event(eventId);
        return (row?.sent ?? 0) + (row?.failed ?? 0) === 4;
      });
      expect(await event(eventId)).toMatchObject({ sent: 3, failed: 1 });
    }
    const [failed] = await t.db
      .select()
      .from(deliveries)
      .where(sql`${deliveries.subscriberId} = ${bouncing} AND ${deliveries.state} = 'failed'`)
      .limit(1);
    expect(failed?.serverReply).toMatch(/^550/);
    const [subscriber] = await t.db
      .select()
      .from(subscribers)
      .where(eq(subscribers.id, bouncing ?? ""));
    expect(subscriber).toMatchObject({ state: "quarantined", hardFailures: 3 });
    // Quarantined: the next event does not even queue a mail for it.
    const next = await notifyEveryone();
    expect((await event(next))?.queued).toBe(3);
  });

  it("ends an address's failure run when a mail to it is accepted, so only failures in a row quarantine", async () => {
    const [recovering] = await addSubscribers(t.db, 1, { prefix: "recovering" });
    const since = new Date(Date.now() - 3_600_000).toISOString();
    await t.db
      .update(subscribers)
      .set({ hardFailures: 2, failingSince: since })
      .where(eq(subscribers.id, recovering ?? ""));
    send(emailVia(smtpTransport(sink.url)));
    const eventId = await notifyEveryone();
    sender?.wake();
    await until(async () => (await event(eventId))?.sent === 1);
    const [subscriber] = await t.db
      .select()
      .from(subscribers)
      .where(eq(subscribers.id, recovering ?? ""));
    expect(subscriber).toMatchObject({ state: "active", hardFailures: 0, failingSince: null });
  });

  it("writes each mail as an .eml file when no SMTP server is configured", async () => {
    await addSubscribers(t.db, 3);
    await notifyEveryone();
    const dir = join(t.dir, "mail");
    send(emailVia(emlTransport(dir)));
    await until(async () => (await deliveryStates(t.db)).sent === 3);
    const files = (await readdir(dir)).filter((f) => f.endsWith(".eml"));
    expect(files).toHaveLength(3);
    const mail = await simpleParser(await readFile(join(dir, files[0] ?? "")));
    expect(mail.from?.text).toContain("status@acme.test");
    expect(mail.subject).toBe("[Investigating] Elevated API error rates");
    expect(mail.text).toContain("We are investigating elevated error rates on the API.");
    expect(mail.headerLines.map((h) => h.line)).toContain("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
    const [row] = await t.db.select().from(deliveries).limit(1);
    expect(row?.serverReply).toMatch(/^250 written to .*\.eml$/);
  });

  it("does not send while another sender's heartbeat is alive, and takes over after its silence", async () => {
    await addSubscribers(t.db, 5);
    await notifyEveryone();
    const beat = () =>
      t.db.run(sql`INSERT INTO locks (name, owner, heartbeat_at) VALUES ('sender', 'other', ${new Date().toISOString()})
        ON CONFLICT (name) DO UPDATE SET heartbeat_at = excluded.heartbeat_at`);
    await beat();
    // A drizzle query runs only when awaited: .catch() starts it.
    const alive = setInterval(() => beat().catch(() => {}), 100);
    send(emailVia(smtpTransport(sink.url)), { takeoverMs: 1000, heartbeatMs: 100 });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(sink.accepted()).toHaveLength(0);
    clearInterval(alive);
    const silentAt = Date.now();
    await until(async () => (await deliveryStates(t.db)).sent === 5);
    expect(Date.now() - silentAt).toBeGreaterThanOrEqual(900);
    expect(sink.accepted()).toHaveLength(5);
  });

  it("a webhook refused for good again and again is disabled, and its owner is told by mail", async () => {
    const receiver = await startWebhookReceiver();
    try {
      const at = clock.now().toISOString();
      await t.db.insert(subscribers).values({
        id: "hook00000001",
        channel: "webhook",
        address: receiver.url("/gone"),
        format: "json",
        state: "active",
        allComponents: true,
        webhookSecret: newWebhookSecret(),
        ownerEmail: "ops@acme.test",
        source: "api",
        createdAt: at,
        updatedAt: at,
      });
      receiver.answer(...Array.from({ length: DISABLE_AFTER_PERMANENT_FAILURES }, () => ({ status: 410 })));
      send({
        ...emailVia(smtpTransport(sink.url)),
        webhook: {
          channel: { name: "webhook", retry: WEBHOOK_RETRY, forEvent: webhookMessagesFor },
          transport: createWebhookTransport({ policy: { allowPrivate: true } }),
        },
      });
      for (let round = 0; round < DISABLE_AFTER_PERMANENT_FAILURES; round++) {
        const eventId = await notifyEveryone();
        sender?.wake();
        await until(async () => (await event(eventId))?.failed === 1);
      }
      const [webhook] = await t.db.select().from(subscribers).where(eq(subscribers.id, "hook00000001"));
      expect(webhook).toMatchObject({ state: "disabled", hardFailures: DISABLE_AFTER_PERMANENT_FAILURES });
      const [notice] = await t.db
        .select()
        .from(notificationEvents)
        .where(eq(notificationEvents.kind, "webhook.disabled"));
      if (!notice) throw new Error("the owner was not told");
      await fanOut(t.db, clock, notice.id);
      sender?.wake();
      await until(async () => (await event(notice.id))?.sent === 1);
      const [mail] = await sink.mails();
      expect(mail?.to && !Array.isArray(mail.to) ? mail.to.text : "").toBe("ops@acme.test");
      expect(mail?.text).toContain(receiver.url("/gone"));
      // Disabled: the next event is not POSTed to it.
      const next = await notifyEveryone();
      sender?.wake();
      expect((await event(next))?.queued).toBe(0);
      expect(receiver.received).toHaveLength(DISABLE_AFTER_PERMANENT_FAILURES);
    } finally {
      await receiver.close();
    }
  });

  it("a mail that cannot be built fails that delivery with the reason and the sender goes on", async () => {
    const at = clock.now().toISOString();
    await t.db.insert(subscribers).values({
      id: "hook00000002",
      channel: "webhook",
      address: "https://hooks.example.test/no-owner",
      format: "json",
      state: "unconfirmed",
      allComponents: true,
      webhookSecret: newWebhookSecret(),
      ownerEmail: null,
      source: "api",
      createdAt: at,
      updatedAt: at,
    });
    const planned = notificationStatements(t.db, {
      kind: "subscription.confirm",
      subscriberId: "hook00000002",
      at,
      componentIds: [],
    });
    await commitChange(contextFor(t.db, clock), {
      ...planned,
      audit: { action: "test.event", targetType: "event", targetId: planned.eventId, details: {} },
    });
    await fanOut(t.db, clock, planned.eventId);
    await addSubscribers(t.db, 2);
    const everyone = await notifyEveryone();
    send(emailVia(smtpTransport(sink.url)));
    await until(async () => (await event(everyone))?.sent === 2 && (await event(planned.eventId))?.failed === 1);
    const [failed] = await t.db.select().from(deliveries).where(eq(deliveries.eventId, planned.eventId));
    expect(failed).toMatchObject({ state: "failed", lastError: expect.stringMatching(/^could not build the message/) });
  });
});
