import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Deliveries, EMAIL_RETRY } from "../../../core/notifications/channel.ts";
import { emailMessagesFor } from "../../../core/notifications/email/channel.ts";
import { smtpTransport } from "../../../jobs/notify/mail-transports.ts";
import { resendTransport } from "../../../jobs/notify/resend-transport.ts";
import { type Sender, startSender } from "../../../jobs/notify/sender.ts";
import { createTestDb, manualClock, setupPage, type TestDb } from "../../helpers/database.ts";
import { queueEvent } from "../../helpers/queued-deliveries.ts";
import { type ResendStandIn, startResendStandIn } from "../../helpers/resend-standin.ts";
import { type SmtpSink, startSmtpSink } from "../../helpers/smtp-sink.ts";
import { addSubscribers, deliveryStates, openQuietIncident } from "../../helpers/subscribers.ts";

/*
 * The mail server or the provider is down for five minutes, then back. The five minutes pass on the
 * sender's clock (a manual clock the test moves 2 s at a time, waiting after each move until the sender has its answers),
 * so every retry the backoff schedules within the outage really is attempted against the dead server and
 * refused; no real five-minute wait (that belongs in the soak). Before this test the mail retry policy
 * (8 attempts, ~4 minutes) failed every mail of such an outage.
 */

const SUBSCRIBERS = 12;
const OUTAGE_MS = 5 * 60_000;
const STEP_MS = 2_000;

let t: TestDb;
let sender: Sender | null = null;
const clock = manualClock(new Date().toISOString());

beforeEach(async () => {
  t = await createTestDb();
  await setupPage(t.db, clock);
});
afterEach(async () => {
  await sender?.stop();
  sender = null;
  await t.cleanup();
});

function startSending(transport: NonNullable<Deliveries["email"]>["transport"]): void {
  sender = startSender({
    db: t.db,
    clock,
    channels: { email: { channel: { name: "email", retry: EMAIL_RETRY, forEvent: emailMessagesFor }, transport } },
    context: { db: t.db, clock, publicUrl: "https://status.acme.test", mailFrom: "Acme Status <status@acme.test>" },
    pollMs: 20,
    log: () => {},
  });
}

/** Three events of one incident, each to every subscriber: what each subscriber must get, in this order. */
async function threeEvents(): Promise<string[]> {
  await addSubscribers(t.db, SUBSCRIBERS);
  const incidentId = await openQuietIncident(t.db, clock);
  const events: string[] = [];
  for (const kind of ["incident.opened", "incident.updated", "incident.resolved"] as const) {
    events.push(await queueEvent(t.db, clock, { kind, incidentId }));
    clock.advance(1000);
  }
  return events;
}

/**
 * Moves the sender's clock `ms` forward, `STEP_MS` at a time; after each step the sender leases what came
 * due and the test waits until every send in flight got its answer, so each retry happens when due.
 */
async function pass(ms: number): Promise<void> {
  for (let moved = 0; moved < ms; moved += STEP_MS) {
    clock.advance(STEP_MS);
    sender?.wake();
    await new Promise((resolve) => setTimeout(resolve, 25));
    for (let i = 0; i < 200 && ((await deliveryStates(t.db)).sending ?? 0) > 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function untilAllSent(): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if ((await deliveryStates(t.db)).sent === SUBSCRIBERS * 3) return;
    await pass(STEP_MS);
  }
  const rows = await t.db.all<{ state: string; last_error: string; attempts: number; next_attempt_at: string }>(
    sql`SELECT state, last_error, attempts, next_attempt_at FROM deliveries LIMIT 3`,
  );
  throw new Error(
    `not all sent at ${clock.now().toISOString()}: ${JSON.stringify(await deliveryStates(t.db))} ${JSON.stringify(rows)}`,
  );
}

/** Each recipient's mails in the order the server accepted them, as event ids (from the Message-ID). */
function inboxes(accepted: { messageId: string; to: string }[]): Map<string, string[]> {
  const byRecipient = new Map<string, string[]>();
  for (const { messageId, to } of accepted) {
    const event = /^<([^.]+)\./.exec(messageId)?.[1] ?? messageId;
    byRecipient.set(to, [...(byRecipient.get(to) ?? []), event]);
  }
  return byRecipient;
}

/** During the outage: nothing sent, nothing given up, and the first mails tried again and again (not left waiting). */
async function expectRefusedMeanwhile(error: RegExp): Promise<void> {
  const during = await deliveryStates(t.db);
  expect(during.sent ?? 0).toBe(0);
  expect(during.failed ?? 0).toBe(0);
  const [tried] = await t.db.all<{ attempts: number; last_error: string }>(
    sql`SELECT attempts, last_error FROM deliveries ORDER BY attempts DESC LIMIT 1`,
  );
  expect(tried?.attempts).toBeGreaterThanOrEqual(5);
  expect(tried?.last_error).toMatch(error);
}

async function expectEveryMailOnceInOrder(accepted: { messageId: string; to: string }[], events: string[]) {
  expect(accepted).toHaveLength(SUBSCRIBERS * 3);
  const boxes = inboxes(accepted);
  expect(boxes.size).toBe(SUBSCRIBERS);
  for (const box of boxes.values()) expect(box).toEqual(events);
  const states = await deliveryStates(t.db);
  expect(states).toEqual({ sent: SUBSCRIBERS * 3 });
}

describe("mail survives a five-minute outage of the mail server or the provider", () => {
  it("SMTP server gone (connections refused) for five minutes: every mail delivered once, in order per subscriber", async () => {
    let sink: SmtpSink = await startSmtpSink(t.dir);
    const port = Number(new URL(sink.url).port);
    const events = await threeEvents();
    await sink.stop();
    startSending(smtpTransport(`smtp://127.0.0.1:${port}?ignoreTLS=true`));
    await pass(OUTAGE_MS);
    await expectRefusedMeanwhile(/ECONNREFUSED/);
    sink = await startSmtpSink(t.dir, { port, log: sink.log });
    try {
      await untilAllSent();
      await expectEveryMailOnceInOrder(sink.accepted(), events);
    } finally {
      // The sender first: the sink waits for the pool's open connections before it exits.
      await sender?.stop();
      sender = null;
      await sink.stop();
    }
  });

  it("the provider answering 503 for five minutes: every mail delivered once, in order per subscriber", async () => {
    const standIn: ResendStandIn = await startResendStandIn(t.dir);
    try {
      const events = await threeEvents();
      await standIn.fail(503);
      startSending(resendTransport({ apiKey: standIn.apiKey, apiUrl: standIn.url, concurrency: 2, lingerMs: 5 }));
      await pass(OUTAGE_MS);
      await expectRefusedMeanwhile(/^503 /);
      expect((await standIn.stats()).refused).toBeGreaterThanOrEqual(6);
      await standIn.fail(null);
      await untilAllSent();
      const accepted = standIn.accepted().map((m) => ({ messageId: m.headers["Message-ID"] ?? "", to: m.to[0] ?? "" }));
      await expectEveryMailOnceInOrder(accepted, events);
    } finally {
      await standIn.stop();
    }
  });
});
