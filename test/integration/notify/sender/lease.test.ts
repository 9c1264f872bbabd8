import { eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDb } from "../../../../db/client.ts";
import { deliveries } from "../../../../db/schema.ts";
import { type LeasedDelivery, leaseDue, requeueOrphans } from "../../../../jobs/notify/sender/lease.ts";
import { createTestDb, manualClock, setupPage, type TestDb } from "../../../helpers/database.ts";
import { addWebhook, queueIncidentOpened } from "../../../helpers/queued-deliveries.ts";
import { addSubscribers } from "../../../helpers/subscribers.ts";

let t: TestDb;
const clock = manualClock();

beforeEach(async () => {
  t = await createTestDb();
  await setupPage(t.db, clock);
});
afterEach(async () => {
  await t.cleanup();
});

const lease = (limit = 100, served: ("email" | "webhook")[] = ["email", "webhook"], db = t.db, owner = "me") =>
  leaseDue(db, { owner, now: clock.now(), served, limit });

async function markSent(rows: LeasedDelivery[]): Promise<void> {
  for (const row of rows) await t.db.update(deliveries).set({ state: "sent" }).where(eq(deliveries.id, row.id));
}

describe("leasing deliveries", () => {
  it("hands a subscriber its events in order: a later event waits while an earlier one is queued or sending", async () => {
    const [first, second] = await addSubscribers(t.db, 2);
    const opened = await queueIncidentOpened(t.db, clock);
    const next = await queueIncidentOpened(t.db, clock);

    const leased = await lease();
    expect(leased.map((row) => row.event_id)).toEqual([opened, opened]);
    // Still sending: the later event's deliveries stay queued.
    expect(await lease()).toEqual([]);

    await markSent(leased.filter((row) => row.subscriber_id === first));
    const after = await lease();
    expect(after.map((row) => [row.event_id, row.subscriber_id])).toEqual([[next, first]]);
    expect(after[0]?.attempts).toBe(0);
    await markSent(leased.filter((row) => row.subscriber_id === second));
    expect((await lease()).map((row) => [row.event_id, row.subscriber_id])).toEqual([[next, second]]);
  });

  it("never hands one delivery to two senders leasing at the same time", async () => {
    await addSubscribers(t.db, 300);
    await queueIncidentOpened(t.db, clock);
    const other = createDb({ url: t.url });
    try {
      const taken: { owner: string; rows: LeasedDelivery[] }[] = [];
      for (;;) {
        const round = await Promise.all([lease(40, undefined, t.db, "one"), lease(40, undefined, other, "two")]);
        taken.push({ owner: "one", rows: round[0] }, { owner: "two", rows: round[1] });
        if (round[0].length + round[1].length === 0) break;
      }
      const ids = taken.flatMap((lot) => lot.rows.map((row) => row.id));
      expect(ids).toHaveLength(300);
      expect(new Set(ids).size).toBe(300);
      const owners = await t.db.all<{ id: string; lease_owner: string }>(
        sql`SELECT id, lease_owner FROM deliveries WHERE state = 'sending'`,
      );
      const ownerOf = new Map(owners.map((row) => [row.id, row.lease_owner]));
      for (const lot of taken) for (const row of lot.rows) expect(ownerOf.get(row.id)).toBe(lot.owner);
    } finally {
      other.$client.close();
    }
  });

  it("takes only the served channels' deliveries, and only once they are due", async () => {
    const [reader] = await addSubscribers(t.db, 1);
    await addWebhook(t.db, clock, "hook00000001", "https://hooks.example.test/in");
    await queueIncidentOpened(t.db, clock);
    const later = new Date(clock.now().getTime() + 60_000).toISOString();
    await t.db.update(deliveries).set({ nextAttemptAt: later }).where(eq(deliveries.subscriberId, "hook00000001"));

    expect((await lease(100, ["email"])).map((row) => row.subscriber_id)).toEqual([reader]);
    expect(await lease(100, ["webhook"])).toEqual([]);
    clock.advance(60_000);
    expect((await lease(100, ["webhook"])).map((row) => row.subscriber_id)).toEqual(["hook00000001"]);
  });

  it("leases at most the limit, and a new holder of the lock requeues what a dead sender left sending", async () => {
    await addSubscribers(t.db, 5);
    await queueIncidentOpened(t.db, clock);
    expect(await lease(3)).toHaveLength(3);
    const [sending] = await t.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM deliveries WHERE state = 'sending'`);
    expect(sending?.n).toBe(3);
    await requeueOrphans(t.db);
    const rows = await t.db.select().from(deliveries);
    expect(rows.every((row) => row.state === "queued" && row.leaseOwner === null && row.leaseUntil === null)).toBe(
      true,
    );
    expect(await lease(100)).toHaveLength(5);
  });
});
