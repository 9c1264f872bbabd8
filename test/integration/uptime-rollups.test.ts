import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { asc, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { run } from "../../core/actions/run.ts";
import { createComponent } from "../../core/components/create-component.ts";
import { updateComponent } from "../../core/components/update-component.ts";
import type { ComponentRow } from "../../core/model/rows.ts";
import { COMPONENT_STATUSES, type ComponentStatus } from "../../core/model/statuses.ts";
import { readUptimes, trackedSince } from "../../core/uptime/read-uptime.ts";
import { statusChangeStatements } from "../../core/uptime/record-status-change.ts";
import { computeUptime, DAY_MS, type StatusChange, uptimeWindowStart } from "../../core/uptime/uptime-days.ts";
import type { Db } from "../../db/client.ts";
import { componentStatusChanges, components, uptimeDaily } from "../../db/schema.ts";
import { contextFor, createTestDb, manualClock, setupPage, type TestDb } from "../helpers/database.ts";

let testDb: TestDb;
const START = Date.parse("2026-05-01T00:00:00.000Z");
const END = Date.parse("2026-11-26T17:00:00.000Z");

beforeEach(async () => {
  testDb = await createTestDb();
});
afterEach(() => testDb.cleanup());

/** A small seeded generator, so a failure names the history that produced it. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Random times with what breaks day arithmetic: exact midnights, the same millisecond twice, busy days. */
function randomTimes(next: () => number, count: number, from: number, to: number): number[] {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const previous = times.at(-1) ?? from;
    const roll = next();
    let at = from + Math.floor(next() * (to - from));
    if (roll < 0.15) at = Math.ceil(at / DAY_MS) * DAY_MS;
    else if (roll < 0.25) at = previous;
    else if (roll < 0.45) at = previous + Math.floor(next() * 3 * 3_600_000);
    times.push(Math.min(Math.max(at, from), to));
  }
  return times.sort((a, b) => a - b);
}

function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)] as T;
}

async function historyOf(db: Db, componentId: string): Promise<StatusChange[]> {
  const rows = await db
    .select()
    .from(componentStatusChanges)
    // In the order they were recorded: changes in the same millisecond keep it.
    .orderBy(asc(componentStatusChanges.at), sql`rowid`);
  return rows
    .filter((r) => r.componentId === componentId)
    .map((r) => ({ at: r.at, oldStatus: r.oldStatus as ComponentStatus, newStatus: r.newStatus as ComponentStatus }));
}

/** What the page showed before rollups: `computeUptime` over the window's status changes. */
async function expectRollupsToMatchReference(db: Db, asOf: string, label: string): Promise<void> {
  const rows: ComponentRow[] = await db.select().from(components);
  const fromRollups = await readUptimes(db, rows, asOf);
  const windowStart = new Date(uptimeWindowStart(asOf)).toISOString();
  for (const component of rows) {
    const history = await historyOf(db, component.id);
    const options = { currentStatus: component.status as ComponentStatus, since: trackedSince(component), asOf };
    const reference = computeUptime({ ...options, changes: history });
    const beforeRollups = computeUptime({ ...options, changes: history.filter((c) => c.at >= windowStart) });
    expect(fromRollups.get(component.id), `${label}, ${component.name}`).toEqual(reference);
    expect(beforeRollups, `${label}, ${component.name} (window only)`).toEqual(reference);
  }
}

describe("uptime from daily rollups", () => {
  for (const seed of [1, 2, 3, 4]) {
    it(`shows exactly what the status history says, as each change is published (history ${seed})`, async () => {
      const next = random(seed);
      const clock = manualClock(new Date(START).toISOString());
      const ctx = contextFor(testDb.db, clock);
      await setupPage(testDb.db, clock);
      type Event = { at: number; run: () => Promise<unknown> };
      const events: Event[] = [];
      const ids: string[] = [];
      for (let n = 0; n < 6; n++) {
        // Some components exist before the window opens, some are created in the middle of it.
        const [created = START] = randomTimes(next, 1, START, END - 5 * DAY_MS);
        const startDate = next() < 0.3 ? new Date(created - Math.floor(next() * 40) * DAY_MS).toISOString() : null;
        events.push({
          at: created,
          run: async () => {
            const component = await run(ctx, createComponent, {
              name: `Component ${n}`,
              status: next() < 0.2 ? pick(next, COMPONENT_STATUSES) : undefined,
              start_date: startDate?.slice(0, 10),
            });
            ids[n] = component.id;
          },
        });
        for (const at of randomTimes(next, 5 + Math.floor(next() * 30), created, END)) {
          events.push({
            at,
            run: async () => {
              const id = ids[n];
              if (id) await run(ctx, updateComponent, { id, status: pick(next, COMPONENT_STATUSES) });
            },
          });
        }
      }
      events.sort((a, b) => a.at - b.at);
      for (const [i, event] of events.entries()) {
        clock.set(new Date(event.at).toISOString());
        await event.run();
        if (i % 15 === 14) await expectRollupsToMatchReference(testDb.db, clock.now().toISOString(), `event ${i}`);
      }
      const last = events.at(-1)?.at ?? END;
      // Quiet time after the last change: the ongoing interval is added when read, up to a later render.
      for (const later of [0, 1, DAY_MS - (last % DAY_MS), 3 * DAY_MS + 17, 95 * DAY_MS]) {
        await expectRollupsToMatchReference(testDb.db, new Date(last + later).toISOString(), `+${later} ms`);
      }
    });
  }

  it("follows the history as written even when a change's old status disagrees with the one before it", async () => {
    const clock = manualClock(new Date(START).toISOString());
    await setupPage(testDb.db, clock);
    const component = await run(contextFor(testDb.db, clock), createComponent, { name: "API" });
    const next = random(42);
    for (const at of randomTimes(next, 60, START, END)) {
      await testDb.db.batch([
        ...statusChangeStatements(testDb.db, {
          componentId: component.id,
          oldStatus: pick(next, COMPONENT_STATUSES),
          newStatus: pick(next, COMPONENT_STATUSES),
          at: new Date(at).toISOString(),
        }),
      ] as [ReturnType<typeof statusChangeStatements>[number]]);
    }
    const history = await historyOf(testDb.db, component.id);
    const asOf = new Date(END).toISOString();
    const [row] = await testDb.db.select().from(components);
    if (!row) throw new Error("no component");
    expect((await readUptimes(testDb.db, [row], asOf)).get(component.id)).toEqual(
      computeUptime({ changes: history, currentStatus: row.status as ComponentStatus, since: trackedSince(row), asOf }),
    );
  });

  it("backfills an existing history into the same rollups that recording each change writes", async () => {
    const clock = manualClock(new Date(START).toISOString());
    const ctx = contextFor(testDb.db, clock);
    await setupPage(testDb.db, clock);
    const next = random(7);
    for (let n = 0; n < 4; n++) {
      clock.set(new Date(START + n * 20 * DAY_MS).toISOString());
      const { id } = await run(ctx, createComponent, { name: `Component ${n}` });
      for (const at of randomTimes(next, 40, START + n * 20 * DAY_MS, END)) {
        clock.set(new Date(at).toISOString());
        await run(ctx, updateComponent, { id, status: pick(next, COMPONENT_STATUSES) });
      }
    }
    const rollups = () =>
      testDb.db.select().from(uptimeDaily).orderBy(asc(uptimeDaily.componentId), asc(uptimeDaily.day));
    const written = await rollups();
    expect(written.length).toBeGreaterThan(100);

    await testDb.db.delete(uptimeDaily);
    const backfill = await readFile(
      join(import.meta.dirname, "../../db/migrations/0005_uptime_rollups_backfill.sql"),
      "utf8",
    );
    await testDb.db.$client.executeMultiple(backfill.replaceAll("--> statement-breakpoint", ""));
    expect(await rollups()).toEqual(written);
  });
});
