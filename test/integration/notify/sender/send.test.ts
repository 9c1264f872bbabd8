import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Deliveries, EMAIL_RETRY } from "../../../../core/notifications/channel.ts";
import { deliveries, subscribers } from "../../../../db/schema.ts";
import { type LeasedDelivery, leaseDue } from "../../../../jobs/notify/sender/lease.ts";
import { MessageBuilders } from "../../../../jobs/notify/sender/messages.ts";
import {
  type Prepared,
  prepareDelivery,
  type ReadyDelivery,
  sendDelivery,
  subscribersOf,
} from "../../../../jobs/notify/sender/send.ts";
import { createTestDb, manualClock, setupPage, type TestDb } from "../../../helpers/database.ts";
import {
  addWebhook,
  queueEvent,
  queueIncidentOpened,
  senderTables,
  testChannels,
} from "../../../helpers/queued-deliveries.ts";
import { type SmtpSink, startSmtpSink } from "../../../helpers/smtp-sink.ts";
import { addSubscribers } from "../../../helpers/subscribers.ts";
import { startWebhookReceiver } from "../../../helpers/webhook-receiver.ts";

let t: TestDb;
let sink: SmtpSink;
let channels: Deliveries;
const clock = manualClock();

beforeEach(async () => {
  t = await createTestDb();
  await setupPage(t.db, clock);
  sink = await startSmtpSink(t.dir);
  channels = testChannels(sink.url);
});
afterEach(async () => {
  await Promise.all(Object.values(channels).map((delivery) => delivery?.transport.close()));
  await sink.stop();
  await t.cleanup();
});

const context = () => ({ db: t.db, clock, publicUrl: "https://status.acme.test", mailFrom: "status@acme.test" });

/** Leases every due delivery and prepares each, in lease order. */
async function prepareAll(): Promise<{ row: LeasedDelivery; prepared: Prepared }[]> {
  const rows = await leaseDue(t.db, { owner: "me", now: clock.now(), served: ["email", "webhook"], limit: 100 });
  const found = await subscribersOf(t.db, rows);
  const messages = new MessageBuilders(t.db, channels, context());
  const all: { row: LeasedDelivery; prepared: Prepared }[] = [];
  for (const row of rows)
    all.push({ row, prepared: await prepareDelivery(row, found.get(row.subscriber_id), messages, channels) });
  return all;
}

async function readyOne(): Promise<ReadyDelivery> {
  const [only] = await prepareAll();
  if (only?.prepared.kind !== "ready") throw new Error(`not ready: ${JSON.stringify(only?.prepared)}`);
  return only.prepared.delivery;
}

/** Sends and checks that sending wrote nothing: the outcome is only a value. */
async function sendWritingNothing(delivery: ReadyDelivery) {
  const before = await senderTables(t.db);
  const outcome = await sendDelivery(delivery, clock);
  expect(await senderTables(t.db)).toEqual(before);
  return outcome;
}

describe("sending one delivery", () => {
  it("a webhook's 503 is a retry after the channel's backoff; its 410 a hard failure; its 200 sent", async () => {
    const receiver = await startWebhookReceiver();
    try {
      await addWebhook(t.db, clock, "hook00000001", receiver.url("/in"));
      await queueIncidentOpened(t.db, clock);
      receiver.answer({ status: 503, body: "busy" }, { status: 410 });
      const delivery = await readyOne();
      expect(await sendWritingNothing(delivery)).toEqual({
        kind: "retry",
        id: delivery.row.id,
        eventId: delivery.row.event_id,
        subscriberId: "hook00000001",
        channel: "webhook",
        attempts: 1,
        next: new Date(clock.now().getTime() + 2_000).toISOString(),
        reply: "HTTP 503 busy",
      });
      expect(await sendWritingNothing(delivery)).toMatchObject({
        kind: "failed",
        attempts: 1,
        hard: true,
        reply: "HTTP 410",
      });
      expect(await sendWritingNothing(delivery)).toMatchObject({ kind: "sent", reply: "HTTP 200 ok" });
      expect(receiver.received).toHaveLength(3);
      expect(receiver.received[0]?.headers["webhook-id"]).toBeTruthy();
    } finally {
      await receiver.close();
    }
  });

  it("a mail accepted is sent with the server's reply; deferred (4xx) is a retry; refused (5xx) a hard failure", async () => {
    await addSubscribers(t.db, 1, { prefix: "a", address: () => "reader@example.test" });
    await addSubscribers(t.db, 1, { prefix: "b", address: () => "tempfail@example.test" });
    await addSubscribers(t.db, 1, { prefix: "c", address: () => "bounce@example.test" });
    await queueIncidentOpened(t.db, clock);
    const prepared = await prepareAll();
    const outcomes = [];
    for (const { prepared: one } of prepared) {
      if (one.kind !== "ready") throw new Error("not ready");
      outcomes.push(await sendWritingNothing(one.delivery));
    }
    const bySubscriber = new Map(outcomes.map((o) => ["subscriberId" in o ? o.subscriberId : "", o]));
    expect(bySubscriber.get("a00000000000")).toMatchObject({ kind: "sent", reply: expect.stringMatching(/^250 /) });
    expect(bySubscriber.get("b00000000000")).toMatchObject({
      kind: "retry",
      attempts: 1,
      reply: expect.stringMatching(/^451/),
      next: new Date(clock.now().getTime() + 2_000).toISOString(),
    });
    expect(bySubscriber.get("c00000000000")).toMatchObject({
      kind: "failed",
      hard: true,
      reply: expect.stringMatching(/^550/),
    });
    expect(sink.accepted().map((mail) => mail.to)).toEqual(["reader@example.test"]);
  });

  it("a mail on its channel's last attempt fails for good, a success tells whether it ends a failure run", async () => {
    const [failing] = await addSubscribers(t.db, 1, { address: () => "tempfail@example.test" });
    await t.db
      .update(subscribers)
      .set({ failingSince: clock.now().toISOString() })
      .where(eq(subscribers.id, failing ?? ""));
    await queueIncidentOpened(t.db, clock);
    const delivery = await readyOne();
    const last = { ...delivery, row: { ...delivery.row, attempts: delivery.retry.maxAttempts - 1 } };
    expect(await sendWritingNothing(last)).toMatchObject({
      kind: "failed",
      hard: false,
      attempts: EMAIL_RETRY.maxAttempts,
    });
    expect(await sendWritingNothing(delivery)).toMatchObject({ kind: "sent", endsFailureRun: true });
  });

  it("settles without sending: a subscriber who left is dropped, one the event is not for is refused", async () => {
    const [left, stranger, addressee] = await addSubscribers(t.db, 3);
    const confirm = await queueEvent(t.db, clock, { kind: "subscription.confirm", subscriberId: addressee ?? "" });
    // Fan-out never queues this one; the sender's re-check refuses it should a row come from elsewhere.
    await t.db.insert(deliveries).values({
      id: "stray0000001",
      eventId: confirm,
      subscriberId: stranger ?? "",
      state: "queued",
      attempts: 0,
      nextAttemptAt: clock.now().toISOString(),
      createdAt: clock.now().toISOString(),
    });
    await queueIncidentOpened(t.db, clock);
    await t.db
      .update(subscribers)
      .set({ state: "unsubscribed" })
      .where(eq(subscribers.id, left ?? ""));
    const settled = new Map(
      (await prepareAll()).map(({ row, prepared }) => [`${row.event_id}:${row.subscriber_id}`, prepared]),
    );
    const opened = [...settled.keys()].find((key) => key.endsWith(`:${left}`));
    expect(settled.get(opened ?? "")).toMatchObject({ kind: "settled", outcome: { kind: "dropped" } });
    expect(settled.get(`${confirm}:${stranger}`)).toMatchObject({
      kind: "settled",
      outcome: {
        kind: "refused",
        id: "stray0000001",
        reply: expect.stringMatching(/^not sent: a subscription.confirm/),
      },
    });
    expect(sink.accepted()).toHaveLength(0);
  });
});
