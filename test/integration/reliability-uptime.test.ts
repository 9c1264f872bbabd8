import { asc, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { run } from "../../core/actions/run.ts";
import { createComponent } from "../../core/components/create-component.ts";
import { updateComponent } from "../../core/components/update-component.ts";
import type { ComponentRow } from "../../core/model/rows.ts";
import { COMPONENT_STATUSES, type ComponentStatus } from "../../core/model/statuses.ts";
import { RELIABILITY_WINDOWS, readLongUptimes } from "../../core/uptime/long-uptime.ts";
import { trackedSince } from "../../core/uptime/read-uptime.ts";
import { computeUptime, DAY_MS, type StatusChange } from "../../core/uptime/uptime-days.ts";
import type { Db } from "../../db/client.ts";
import { componentStatusChanges, components } from "../../db/schema.ts";
import { contextFor, createTestDb, manualClock, setupPage, type TestDb } from "../helpers/database.ts";

let testDb: TestDb;
const START = Date.parse("2025-01-01T00:00:00.000Z");
const END = Date.parse("2026-11-26T17:00:00.000Z");

beforeEach(async () => {
  testDb = await createTestDb();
});
afterEach(() => testDb.cleanup());

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

const pick = <T>(next: () => number, items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;

/**
 * Change times with long quiet stretches (a status held for 100–200 days, longer than any rollup keeps),
 * exact midnights and the same millisecond twice.
 */
function changeTimes(next: () => number, from: number, to: number): number[] {
  const times: number[] = [];
  let at = from;
  while (at < to) {
    const roll = next();
    if (roll < 0.15) at += (100 + Math.floor(next() * 100)) * DAY_MS;
    else if (roll < 0.3) at = Math.ceil((at + 1) / DAY_MS) * DAY_MS;
    else if (roll < 0.4) at += 0;
    else at += Math.floor(next() * 20 * DAY_MS);
    if (at < to) times.push(at);
  }
  return times;
}

async function fullHistory(db: Db, componentId: string): Promise<StatusChange[]> {
  const rows = await db.select().from(componentStatusChanges).orderBy(asc(componentStatusChanges.at), sql`rowid`);
  return rows
    .filter((r) => r.componentId === componentId)
    .map((r) => ({ at: r.at, oldStatus: r.oldStatus, newStatus: r.newStatus }));
}

async function expectReference(db: Db, asOf: string, label: string): Promise<void> {
  const rows: ComponentRow[] = await db.select().from(components);
  const read = await readLongUptimes(db, rows, asOf);
  for (const component of rows) {
    const changes = await fullHistory(db, component.id);
    for (const days of RELIABILITY_WINDOWS) {
      const reference = computeUptime({
        changes,
        currentStatus: component.status as ComponentStatus,
        since: trackedSince(component),
        asOf,
        days,
      });
      expect(read.get(component.id)?.get(days), `${label}, ${component.name}, ${days} days`).toEqual(reference);
    }
  }
}

describe("uptime over 30, 90 and 365 days, for the public reliability page", () => {
  for (const seed of [7, 8, 9]) {
    it(`equals computeUptime over the whole history, with statuses held longer than the rollups keep (history ${seed})`, async () => {
      const next = random(seed);
      const clock = manualClock(new Date(START).toISOString());
      const ctx = contextFor(testDb.db, clock);
      await setupPage(testDb.db, clock);
      const events: { at: number; run: () => Promise<unknown> }[] = [];
      const ids: string[] = [];
      for (let n = 0; n < 4; n++) {
        const created = START + Math.floor(next() * (END - START) * (n === 0 ? 0 : 0.8));
        events.push({
          at: created,
          run: async () => {
            ids[n] = (await run(ctx, createComponent, { name: `Component ${n}` })).id;
          },
        });
        for (const at of changeTimes(next, created + 1, END))
          events.push({
            at,
            run: async () => {
              const id = ids[n];
              if (id) await run(ctx, updateComponent, { id, status: pick(next, COMPONENT_STATUSES) });
            },
          });
      }
      events.sort((a, b) => a.at - b.at);
      for (const [i, event] of events.entries()) {
        clock.set(new Date(event.at).toISOString());
        await event.run();
        if (i % 20 === 19) await expectReference(testDb.db, clock.now().toISOString(), `event ${i}`);
      }
      const last = events.at(-1)?.at ?? END;
      for (const later of [0, DAY_MS - (last % DAY_MS), 120 * DAY_MS, 400 * DAY_MS])
        await expectReference(testDb.db, new Date(last + later).toISOString(), `+${later} ms`);
    });
  }

  it("a major outage held for 200 days shows in the 365-day figure though no rollup holds its first days", async () => {
    const clock = manualClock("2026-01-01T00:00:00.000Z");
    const ctx = contextFor(testDb.db, clock);
    await setupPage(testDb.db, clock);
    const api = await run(ctx, createComponent, { name: "API" });
    clock.set("2026-02-01T00:00:00.000Z");
    await run(ctx, updateComponent, { id: api.id, status: "major_outage" });
    clock.set("2026-08-20T00:00:00.000Z");
    await run(ctx, updateComponent, { id: api.id, status: "operational" });
    const asOf = "2026-12-31T12:00:00.000Z";
    const [row] = await testDb.db.select().from(components);
    const read = (await readLongUptimes(testDb.db, row ? [row] : [], asOf)).get(api.id);
    // 200 days down of the 364.5 tracked (Jan 1 to Dec 31 noon).
    expect(read?.get(365)?.percent).toBeCloseTo(1 - 200 / 364.5, 6);
    expect(read?.get(90)?.percent).toBe(1);
    expect(read?.get(365)?.since).toBeNull();
  });
});
