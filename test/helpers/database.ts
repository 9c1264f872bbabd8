import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Clock } from "../../core/actions/clock.ts";
import { type ActionContext, type Actor, SYSTEM_ACTOR } from "../../core/actions/context.ts";
import { ensurePage } from "../../core/page/get-page.ts";
import { createDb, type Db, prepareLocalDb } from "../../db/client.ts";
import { migrateDb } from "../../server/migrate.ts";

export type TestDb = { db: Db; dir: string; url: string; cleanup(): Promise<void> };

/** A real libSQL file in a fresh temp folder, migrated like production. */
export async function createTestDb(): Promise<TestDb> {
  const dir = await mkdtemp(join(tmpdir(), "herald-test-"));
  const url = `file:${join(dir, "herald.db")}`;
  const db = createDb({ url });
  await prepareLocalDb(db, url);
  await migrateDb(db, join(import.meta.dirname, "../../db/migrations"));
  return {
    db,
    dir,
    url,
    async cleanup() {
      db.$client.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A clock tests move by hand. */
export function manualClock(
  start = "2026-11-26T10:00:00.000Z",
): Clock & { advance(ms: number): void; set(iso: string): void } {
  let now = new Date(start).getTime();
  return {
    now: () => new Date(now),
    advance(ms) {
      now += ms;
    },
    set(iso) {
      now = new Date(iso).getTime();
    },
  };
}

export async function setupPage(db: Db, clock: Clock): Promise<void> {
  await ensurePage(db, clock, { name: "Acme Status", url: "https://status.acme.test" });
}

export function contextFor(db: Db, clock: Clock, actor: Actor = SYSTEM_ACTOR): ActionContext {
  return { db, clock, actor };
}
