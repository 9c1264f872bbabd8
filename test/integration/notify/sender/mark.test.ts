import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DISABLE_AFTER_PERMANENT_FAILURES } from "../../../../core/notifications/webhook/health.ts";
import { deliveries, notificationEvents, subscribers } from "../../../../db/schema.ts";
import { type LeasedDelivery, leaseDue } from "../../../../jobs/notify/sender/lease.ts";
import { recordOutcomes } from "../../../../jobs/notify/sender/mark.ts";
import { MessageBuilders } from "../../../../jobs/notify/sender/messages.ts";
import { type Outcome, rowIds } from "../../../../jobs/notify/sender/outcome.ts";
import { prepareDelivery, sendDelivery, subscribersOf } from "../../../../jobs/notify/sender/send.ts";
import { createTestDb, manualClock, setupPage, type TestDb } from "../../../helpers/database.ts";
import { addWebhook, queueIncidentOpened, testChannels } from "../../../helpers/queued-deliveries.ts";
import { addSubscribers } from "../../../helpers/subscribers.ts";
import { startWebhookReceiver } from "../../../helpers/webhook-receiver.ts";

let t: TestDb;
const clock = manualClock();

beforeEach(async () => {
  t = await createTestDb();
  await setupPage(t.db, clock);
});
afterEach(async () => {
  await t.cleanup();
});

async function leaseAll(): Promise<LeasedDelivery[]> {
  return leaseDue(t.db, { owner: "me", now: clock.now(), served: ["email", "webhook"], limit: 100 });
}

async function leaseOne(): Promise<LeasedDelivery> {
  const [row] = await leaseAll();
  if (!row) throw new Error("nothing to lease");
  return row;
}

const record = (outcomes: Outcome[]) => recordOutcomes(t.db, outcomes, clock.now(), 3);

async function delivery(id: string) {
  const [row] = await t.db.select().from(deliveries).where(eq(deliveries.id, id));
  return row;
}
async function subscriber(id: string) {
  const [row] = await t.db.select().from(subscribers).where(eq(subscribers.id, id));
  return row;
}
async function event(id: string) {
  const [row] = await t.db.select().from(notificationEvents).where(eq(notificationEvents.id, id));
  return row;
}

describe("marking outcomes", () => {
  it("a retry goes back to the queue at its next time with the reply; the mail subscriber's failure run starts", async () => {
    const [reader] = await addSubscribers(t.db, 1);
    const eventId = await queueIncidentOpened(t.db, clock);
    const row = await leaseOne();
    const next = new Date(clock.now().getTime() + 2_000).toISOString();
    await record([{ kind: "retry", ...rowIds(row), channel: "email", attempts: 1, next, reply: "451 4.2.1 later" }]);
    expect(await delivery(row.id)).toMatchObject({
      state: "queued",
      attempts: 1,
      nextAttemptAt: next,
      lastError: "451 4.2.1 later",
      serverReply: "451 4.2.1 later",
      leaseOwner: null,
      leaseUntil: null,
    });
    expect(await subscriber(reader ?? "")).toMatchObject({ failingSince: clock.now().toISOString(), hardFailures: 0 });
    expect(await event(eventId)).toMatchObject({ queued: 1, sent: 0, failed: 0 });
  });

  it("sent keeps the reply and Message-ID, counts on the event, and ends the subscriber's failure run", async () => {
    const [reader] = await addSubscribers(t.db, 1);
    await t.db
      .update(subscribers)
      .set({ hardFailures: 2, failingSince: "2026-11-26T09:00:00.000Z" })
      .where(eq(subscribers.id, reader ?? ""));
    const eventId = await queueIncidentOpened(t.db, clock);
    const row = await leaseOne();
    await record([
      {
        kind: "sent",
        ...rowIds(row),
        channel: "email",
        reply: "250 2.0.0 queued",
        messageId: "<m@acme.test>",
        endsFailureRun: true,
      },
    ]);
    expect(await delivery(row.id)).toMatchObject({
      state: "sent",
      attempts: 1,
      sentAt: clock.now().toISOString(),
      serverReply: "250 2.0.0 queued",
      messageId: "<m@acme.test>",
      lastError: null,
      leaseOwner: null,
    });
    expect(await subscriber(reader ?? "")).toMatchObject({ hardFailures: 0, failingSince: null, state: "active" });
    expect(await event(eventId)).toMatchObject({ queued: 1, sent: 1, failed: 0 });
  });

  it("three hard mail failures in a row quarantine the address", async () => {
    const [bouncing] = await addSubscribers(t.db, 1);
    for (let round = 1; round <= 3; round++) {
      const eventId = await queueIncidentOpened(t.db, clock);
      const row = await leaseOne();
      const reply = "550 5.1.1 No such user";
      await record([{ kind: "failed", ...rowIds(row), channel: "email", attempts: 1, reply, hard: true }]);
      expect(await delivery(row.id)).toMatchObject({ state: "failed", attempts: 1, lastError: reply });
      expect(await event(eventId)).toMatchObject({ sent: 0, failed: 1 });
      expect(await subscriber(bouncing ?? "")).toMatchObject({
        hardFailures: round,
        state: round < 3 ? "active" : "quarantined",
      });
    }
  });

  it("a dropped delivery is deleted and lowers the event's queued; a refused one fails with no mark on anyone", async () => {
    const [gone, stranger] = await addSubscribers(t.db, 2);
    const eventId = await queueIncidentOpened(t.db, clock);
    const rows = await leaseAll();
    const dropped = rows.find((row) => row.subscriber_id === gone);
    const refused = rows.find((row) => row.subscriber_id === stranger);
    if (!dropped || !refused) throw new Error("not leased");
    await record([
      { kind: "dropped", id: dropped.id, eventId },
      { kind: "refused", id: refused.id, eventId, reply: "not sent: not for this subscriber" },
    ]);
    expect(await delivery(dropped.id)).toBeUndefined();
    expect(await delivery(refused.id)).toMatchObject({ state: "failed", attempts: 0, lastError: expect.any(String) });
    expect(await event(eventId)).toMatchObject({ queued: 1, sent: 0, failed: 1 });
    expect(await subscriber(stranger ?? "")).toMatchObject({ hardFailures: 0, failingSince: null, state: "active" });
  });

  it("a webhook's failures are its health, not a mail run: refused for good again and again disables it", async () => {
    await addWebhook(t.db, clock, "hook00000001", "https://hooks.example.test/gone");
    for (let round = 1; round <= DISABLE_AFTER_PERMANENT_FAILURES; round++) {
      await queueIncidentOpened(t.db, clock);
      const row = await leaseOne();
      await record([
        { kind: "failed", ...rowIds(row), channel: "webhook", attempts: 1, reply: "HTTP 410", hard: true },
      ]);
    }
    expect(await subscriber("hook00000001")).toMatchObject({
      state: "disabled",
      hardFailures: DISABLE_AFTER_PERMANENT_FAILURES,
    });
    const notices = await t.db.select().from(notificationEvents).where(eq(notificationEvents.kind, "webhook.disabled"));
    expect(notices.map((notice) => notice.subscriberId)).toEqual(["hook00000001"]);
  });

  it("a webhook's retry starts its failure run and its next success ends it", async () => {
    await addWebhook(t.db, clock, "hook00000001", "https://hooks.example.test/in");
    await queueIncidentOpened(t.db, clock);
    const row = await leaseOne();
    const next = new Date(clock.now().getTime() + 2_000).toISOString();
    await record([{ kind: "retry", ...rowIds(row), channel: "webhook", attempts: 1, next, reply: "HTTP 503" }]);
    expect(await subscriber("hook00000001")).toMatchObject({
      failingSince: clock.now().toISOString(),
      hardFailures: 0,
    });
    clock.advance(2_000);
    const again = await leaseOne();
    expect(again).toMatchObject({ id: row.id, attempts: 1 });
    await record([
      { kind: "sent", ...rowIds(again), channel: "webhook", reply: "HTTP 200", messageId: "", endsFailureRun: true },
    ]);
    expect(await subscriber("hook00000001")).toMatchObject({ failingSince: null, hardFailures: 0, state: "active" });
    expect(await delivery(row.id)).toMatchObject({ state: "sent", attempts: 2 });
  });

  it("a webhook answered 5xx is written back as a retry after the backoff; answered 4xx, as failed for good", async () => {
    const receiver = await startWebhookReceiver();
    const channels = testChannels("smtp://127.0.0.1:9");
    try {
      await addWebhook(t.db, clock, "hook00000001", receiver.url("/in"));
      const eventId = await queueIncidentOpened(t.db, clock);
      receiver.answer({ status: 502 }, { status: 404 });
      const messages = new MessageBuilders(t.db, channels, {
        db: t.db,
        clock,
        publicUrl: "https://status.acme.test",
        mailFrom: "status@acme.test",
      });
      const sendOnce = async () => {
        const row = await leaseOne();
        const found = await subscribersOf(t.db, [row]);
        const prepared = await prepareDelivery(row, found.get(row.subscriber_id), messages, channels);
        if (prepared.kind !== "ready") throw new Error("not ready");
        await record([await sendDelivery(prepared.delivery, clock)]);
        return row.id;
      };
      const id = await sendOnce();
      expect(await delivery(id)).toMatchObject({
        state: "queued",
        attempts: 1,
        nextAttemptAt: new Date(clock.now().getTime() + 2_000).toISOString(),
        lastError: "HTTP 502",
      });
      clock.advance(2_000);
      await sendOnce();
      expect(await delivery(id)).toMatchObject({ state: "failed", attempts: 2, lastError: "HTTP 404" });
      expect(await event(eventId)).toMatchObject({ sent: 0, failed: 1 });
      expect(await subscriber("hook00000001")).toMatchObject({ hardFailures: 1, state: "active" });
    } finally {
      await Promise.all(Object.values(channels).map((d) => d?.transport.close()));
      await receiver.close();
    }
  });
});
