import { join } from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { run } from "../../../core/actions/run.ts";
import { EMAIL_RETRY } from "../../../core/notifications/channel.ts";
import { emailMessagesFor } from "../../../core/notifications/email/channel.ts";
import { incidentDeliveries } from "../../../core/notifications/incident-deliveries.ts";
import { pruneDeliveries } from "../../../core/notifications/prune-deliveries.ts";
import { deliveries } from "../../../db/schema.ts";
import { emlTransport } from "../../../jobs/notify/mail-transports.ts";
import { type Sender, startSender } from "../../../jobs/notify/sender.ts";
import { contextFor, createTestDb, manualClock, setupPage, type TestDb } from "../../helpers/database.ts";
import { queueEvent } from "../../helpers/queued-deliveries.ts";
import { addSubscribers, deliveryStates, openQuietIncident } from "../../helpers/subscribers.ts";

const DAY = 86_400_000;
const RETENTION = 30 * DAY;

let t: TestDb;
let sender: Sender | null = null;
const clock = manualClock("2026-10-01T09:00:00.000Z");

beforeEach(async () => {
  t = await createTestDb();
  await setupPage(t.db, clock);
});
afterEach(async () => {
  await sender?.stop();
  sender = null;
  await t.cleanup();
});

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 800 && !(await check()); i++) await new Promise((resolve) => setTimeout(resolve, 25));
}

/** An incident with an event 40 days old and one 5 days old, each mailed to `count` subscribers (one refused for good). */
async function history(count: number): Promise<{ incidentId: string; old: string; recent: string }> {
  await addSubscribers(t.db, count - 1);
  await addSubscribers(t.db, 1, { prefix: "x", address: () => "no-such-user@example.test" });
  const incidentId = await openQuietIncident(t.db, clock);
  sender = startSender({
    db: t.db,
    clock,
    channels: {
      email: {
        channel: { name: "email", retry: EMAIL_RETRY, forEvent: emailMessagesFor },
        transport: {
          ...emlTransport(join(t.dir, "mail")),
          // The one refused address, as a server's 550 would refuse it.
          send: async (message) =>
            String(message.to).startsWith("no-such-user")
              ? { ok: false, permanent: true, reply: "550 5.1.1 No such user" }
              : emlTransport(join(t.dir, "mail")).send(message),
        },
      },
    },
    context: { db: t.db, clock, publicUrl: "https://status.acme.test", mailFrom: "Acme Status <status@acme.test>" },
    pollMs: 20,
    log: () => {},
  });
  const old = await queueEvent(t.db, clock, { kind: "incident.opened", incidentId });
  await until(async () => (await deliveryStates(t.db)).queued === undefined);
  clock.advance(35 * DAY);
  const recent = await queueEvent(t.db, clock, { kind: "incident.updated", incidentId });
  await until(async () => (await deliveryStates(t.db)).queued === undefined);
  await sender.stop();
  sender = null;
  clock.advance(5 * DAY);
  return { incidentId, old, recent };
}

describe("pruning old delivery rows", () => {
  it("deletes the sent and failed rows past the retention and keeps every figure the admin sees", async () => {
    const { incidentId, old, recent } = await history(40);
    // One row of the old event still waiting for a retry: never pruned.
    const [waiting] = await t.db.select().from(deliveries).where(eq(deliveries.eventId, old)).limit(1);
    await t.db
      .update(deliveries)
      .set({ state: "queued" })
      .where(eq(deliveries.id, waiting?.id ?? ""));
    const ctx = contextFor(t.db, clock);
    const before = await run(ctx, incidentDeliveries, { id: incidentId });
    expect(before.events.map((e) => [e.queued, e.sent, e.failed])).toEqual([
      [40, 39, 1],
      [40, 39, 1],
    ]);

    const pruned = await pruneDeliveries(t.db, clock.now(), RETENTION, { batch: 7, pauseMs: 0 });

    expect(pruned).toBe(39);
    const left = await t.db.all<{ event_id: string; state: string; n: number }>(
      sql`SELECT event_id, state, count(*) AS n FROM deliveries GROUP BY event_id, state ORDER BY event_id, state`,
    );
    expect(left).toEqual(
      [
        { event_id: old, state: "queued", n: 1 },
        { event_id: recent, state: "failed", n: 1 },
        { event_id: recent, state: "sent", n: 39 },
      ].sort((a, b) => (a.event_id + a.state).localeCompare(b.event_id + b.state)),
    );
    const after = await run(ctx, incidentDeliveries, { id: incidentId });
    expect(after.events).toEqual(before.events);
    // The failed delivery's detail goes with its row; the recent one's stays.
    expect(after.failing.map((f) => f.event_id)).toEqual([recent]);
    expect(await pruneDeliveries(t.db, clock.now(), RETENTION)).toBe(0);
  });

  it("stops at its limit and goes on at the next run; a retention of 0 keeps everything", async () => {
    await history(25);
    expect(await pruneDeliveries(t.db, clock.now(), 0)).toBe(0);
    expect(await pruneDeliveries(t.db, clock.now(), RETENTION, { batch: 4, pauseMs: 0, limit: 10 })).toBe(10);
    expect(await pruneDeliveries(t.db, clock.now(), RETENTION, { batch: 4, pauseMs: 0 })).toBe(15);
    expect((await deliveryStates(t.db)).sent).toBe(24);
  });
});
