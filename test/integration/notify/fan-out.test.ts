import { eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commitChange } from "../../../core/changes/commit.ts";
import { notificationStatements } from "../../../core/notifications/queue-event.ts";
import { components, notificationEvents } from "../../../db/schema.ts";
import { fanOut } from "../../../jobs/notify/fan-out.ts";
import { contextFor, createTestDb, manualClock, setupPage, type TestDb } from "../../helpers/database.ts";
import { addSubscribers } from "../../helpers/subscribers.ts";

let t: TestDb;
const clock = manualClock();

beforeEach(async () => {
  t = await createTestDb();
  await setupPage(t.db, clock);
  const at = clock.now().toISOString();
  await t.db.insert(components).values([
    {
      id: "grp000000001",
      name: "Platform",
      status: "operational",
      isGroup: true,
      position: 0,
      createdAt: at,
      updatedAt: at,
    },
    {
      id: "api000000001",
      name: "API",
      status: "operational",
      groupId: "grp000000001",
      position: 1,
      createdAt: at,
      updatedAt: at,
    },
    { id: "web000000001", name: "Website", status: "operational", position: 2, createdAt: at, updatedAt: at },
  ]);
});
afterEach(async () => t.cleanup());

async function queueEvent(
  componentIds: string[],
  extra: { subscriberId?: string; kind?: "subscription.confirm" } = {},
) {
  const planned = notificationStatements(t.db, {
    kind: extra.kind ?? "incident.opened",
    at: clock.now().toISOString(),
    componentIds,
    subscriberId: extra.subscriberId,
  });
  await commitChange(contextFor(t.db, clock), {
    statements: planned.statements,
    jobs: planned.jobs,
    audit: { action: "test.event", targetType: "event", targetId: planned.eventId, details: {} },
  });
  return planned.eventId;
}

async function eventRow(id: string) {
  const [row] = await t.db.select().from(notificationEvents).where(eq(notificationEvents.id, id));
  if (!row) throw new Error("no event");
  return row;
}

describe("fan-out", () => {
  it("queues one delivery per matching subscriber and writes the notify job in the event's batch", async () => {
    await addSubscribers(t.db, 4500, { prefix: "a" });
    await addSubscribers(t.db, 30, { prefix: "g", components: ["grp000000001"] });
    await addSubscribers(t.db, 20, { prefix: "w", components: ["web000000001"] });
    await addSubscribers(t.db, 10, { prefix: "u", state: "unsubscribed" });
    const eventId = await queueEvent(["api000000001"]);
    const jobs = await t.db.all<{ dedupe_key: string }>(sql`SELECT dedupe_key FROM jobs WHERE kind = 'notify'`);
    expect(jobs.map((j) => j.dedupe_key)).toEqual([`notify:${eventId}`]);

    expect(await fanOut(t.db, clock, eventId)).toBe(4530);
    const event = await eventRow(eventId);
    expect(event.queued).toBe(4530);
    expect(event.fanoutDoneAt).not.toBeNull();
    expect(await fanOut(t.db, clock, eventId)).toBe(0);
    const [count] = await t.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM deliveries`);
    expect(count?.n).toBe(4530);
  });

  it("resumes at the cursor after a crash and inserts each delivery once", async () => {
    const ids = await addSubscribers(t.db, 5000);
    const eventId = await queueEvent([]);
    // As if a crash hit after the first chunk committed and a later chunk was replayed.
    await t.db.update(notificationEvents).set({ fanoutCursor: ids[1999] }).where(eq(notificationEvents.id, eventId));
    await t.db.run(sql`INSERT INTO deliveries (id, event_id, subscriber_id, state, next_attempt_at, created_at)
      SELECT lower(hex(randomblob(6))), ${eventId}, id, 'queued', '2026', '2026' FROM subscribers ORDER BY id LIMIT 2500`);
    await fanOut(t.db, clock, eventId);
    const [count] = await t.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM deliveries`);
    expect(count?.n).toBe(5000);
    expect((await eventRow(eventId)).queued).toBe(2500);
  });

  it("sends a personal event to its one subscriber whatever its state", async () => {
    const [pending] = await addSubscribers(t.db, 1, { prefix: "p", state: "unconfirmed" });
    await addSubscribers(t.db, 50);
    const eventId = await queueEvent([], { subscriberId: pending, kind: "subscription.confirm" });
    await fanOut(t.db, clock, eventId);
    const rows = await t.db.all<{ subscriber_id: string }>(sql`SELECT subscriber_id FROM deliveries`);
    expect(rows.map((r) => r.subscriber_id)).toEqual([pending]);
    expect((await eventRow(eventId)).queued).toBe(1);
  });
});
