import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { systemClock } from "../../../core/actions/clock.ts";
import { type Deliveries, EMAIL_RETRY, type EmailMessage } from "../../../core/notifications/channel.ts";
import { emailMessagesFor } from "../../../core/notifications/email/channel.ts";
import { deliveries, notificationEvents, subscribers } from "../../../db/schema.ts";
import { resendTransport } from "../../../jobs/notify/resend-transport.ts";
import { type Sender, startSender } from "../../../jobs/notify/sender.ts";
import { createTestDb, setupPage, type TestDb } from "../../helpers/database.ts";
import { queueIncidentOpened } from "../../helpers/queued-deliveries.ts";
import { type ResendStandIn, startResendStandIn } from "../../helpers/resend-standin.ts";
import { addSubscribers, deliveryStates } from "../../helpers/subscribers.ts";

let t: TestDb;
let standIn: ResendStandIn;
let sender: Sender | null = null;
const clock = systemClock;

beforeEach(async () => {
  t = await createTestDb();
  await setupPage(t.db, clock);
  standIn = await startResendStandIn(t.dir);
});
afterEach(async () => {
  await sender?.stop();
  sender = null;
  await standIn.stop();
  await t.cleanup();
});

function viaResend(concurrency = 2): Deliveries {
  const transport = resendTransport({ apiKey: standIn.apiKey, apiUrl: standIn.url, concurrency });
  return { email: { channel: { name: "email", retry: EMAIL_RETRY, forEvent: emailMessagesFor }, transport } };
}

function send(channels: Deliveries): Sender {
  sender = startSender({
    db: t.db,
    clock,
    channels,
    context: { db: t.db, clock, publicUrl: "https://status.acme.test", mailFrom: "Acme Status <status@acme.test>" },
    pollMs: 50,
    log: () => {},
  });
  return sender;
}

async function until(check: () => Promise<boolean> | boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("mail through Resend's HTTP API (a stand-in in its own process)", () => {
  it("sends every subscriber's mail once, with its fields, in batches of at most 100, each with its idempotency key", async () => {
    await addSubscribers(t.db, 250);
    const eventId = await queueIncidentOpened(t.db, clock);
    send(viaResend());
    await until(async () => (await deliveryStates(t.db)).sent === 250);
    const mails = standIn.accepted();
    expect(mails).toHaveLength(250);
    expect(new Set(mails.map((m) => m.to[0])).size).toBe(250);
    const stats = await standIn.stats();
    expect(stats.maxBatch).toBeLessThanOrEqual(100);
    expect(mails.every((m) => m.batch <= 100)).toBe(true);
    // In batches, not a request per mail (how full each is depends on how fast the sender builds mail).
    expect(stats.requests).toBeLessThanOrEqual(25);
    // One key per request: the mails of one request share it, two requests never do.
    const keys = new Map<string, number>();
    for (const m of mails) keys.set(m.key ?? "", (keys.get(m.key ?? "") ?? 0) + 1);
    expect([...keys.keys()].every((key) => key.startsWith("herald-"))).toBe(true);
    expect(keys.size).toBe(stats.requests);
    const mail = mails.find((m) => m.to[0] === "readers0@example.test");
    expect(mail?.from).toBe('"Acme Status" <status@acme.test>');
    expect(mail?.subject).toBe("[Investigating] Elevated API error rates");
    expect(mail?.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    expect(mail?.headers["List-Unsubscribe"]).toMatch(/^<https:\/\/status\.acme\.test\/.+>, <mailto:/);
    expect(mail?.headers["Message-ID"]).toMatch(/^<.+@status\.acme\.test>$/);
    expect(mail?.text).toContain("https://status.acme.test/");
    // The provider's id is kept with the delivery: its bounce report names it.
    const [row] = await t.db.select().from(deliveries).where(eq(deliveries.subscriberId, "s00000000000"));
    expect(row?.messageId).toBe(mail?.id);
    expect(row?.serverReply).toBe(`200 accepted by Resend as ${mail?.id}`);
    const [event] = await t.db.select().from(notificationEvents).where(eq(notificationEvents.id, eventId));
    expect(event).toMatchObject({ queued: 250, sent: 250, failed: 0 });
  });

  it("retries a batch answered 429 and then 503 with the mail backoff, and every mail still arrives once", async () => {
    await addSubscribers(t.db, 150);
    await queueIncidentOpened(t.db, clock);
    await standIn.fail(429, 1);
    send(viaResend(1));
    await until(async () => (await t.db.select().from(deliveries)).some((d) => d.lastError?.startsWith("429")));
    await standIn.fail(503, 1);
    await until(async () => (await deliveryStates(t.db)).sent === 150, 30_000);
    const mails = standIn.accepted();
    expect(mails).toHaveLength(150);
    expect(new Set(mails.map((m) => m.to[0])).size).toBe(150);
    expect((await standIn.stats()).refused).toBe(2);
    const rows = await t.db.select().from(deliveries);
    expect(rows.some((d) => d.attempts >= 2)).toBe(true);
    // A refused request says nothing about the subscribers: nobody's failure count moved.
    const hard = await t.db.select().from(subscribers).where(eq(subscribers.hardFailures, 0));
    expect(hard).toHaveLength(150);
  });

  it("fails only the mail the provider refuses in a partly valid batch; the rest of the batch is sent", async () => {
    await addSubscribers(t.db, 30, {
      address: (i) => (i === 7 ? "invalid-reader@example.test" : `reader${i}@example.test`),
    });
    const eventId = await queueIncidentOpened(t.db, clock);
    send(viaResend());
    await until(async () => {
      const states = await deliveryStates(t.db);
      return states.sent === 29 && states.failed === 1;
    });
    expect(standIn.accepted()).toHaveLength(29);
    const [refused] = await t.db.select().from(deliveries).where(eq(deliveries.state, "failed"));
    expect(refused?.subscriberId).toBe("s00000000007");
    expect(refused?.lastError).toMatch(/^422 validation_error: Invalid `to` field/);
    const [bad] = await t.db.select().from(subscribers).where(eq(subscribers.id, "s00000000007"));
    expect(bad?.hardFailures).toBe(1);
    const [event] = await t.db.select().from(notificationEvents).where(eq(notificationEvents.id, eventId));
    expect(event).toMatchObject({ sent: 29, failed: 1 });
  });

  it("a batch sent again after its answer was lost is answered from the idempotency key, not sent twice", async () => {
    const messages: EmailMessage[] = [1, 2, 3].map((i) => ({
      messageId: `<e1.s${i}@status.acme.test>`,
      from: { name: "Acme Status", address: "status@acme.test" },
      to: `reader${i}@example.test`,
      subject: "[Investigating] Elevated API error rates",
      text: "Body",
      html: "<p>Body</p>",
      headers: {},
    }));
    const first = resendTransport({ apiKey: standIn.apiKey, apiUrl: standIn.url, concurrency: 1, lingerMs: 5 });
    const again = resendTransport({ apiKey: standIn.apiKey, apiUrl: standIn.url, concurrency: 1, lingerMs: 5 });
    const answers = await Promise.all(messages.map((m) => first.send(m)));
    const replayed = await Promise.all(messages.map((m) => again.send(m)));
    expect(replayed).toEqual(answers);
    expect(answers.every((a) => a.ok)).toBe(true);
    expect(await standIn.stats()).toMatchObject({ emails: 3, replayed: 1 });
    await first.close();
    await again.close();
  });

  it("a wrong API key sends nothing and counts against no subscriber: the mail waits for the fix", async () => {
    await addSubscribers(t.db, 5);
    await queueIncidentOpened(t.db, clock);
    const transport = resendTransport({ apiKey: "re_wrong", apiUrl: standIn.url, concurrency: 1, lingerMs: 5 });
    send({ email: { channel: { name: "email", retry: EMAIL_RETRY, forEvent: emailMessagesFor }, transport } });
    await until(async () => (await t.db.select().from(deliveries)).every((d) => d.attempts === 1));
    const rows = await t.db.select().from(deliveries);
    expect(rows.every((d) => d.state === "queued" && d.lastError?.startsWith("403 invalid_api_key"))).toBe(true);
    expect(standIn.accepted()).toHaveLength(0);
    expect((await t.db.select().from(subscribers)).every((s) => s.hardFailures === 0)).toBe(true);
  });
});
