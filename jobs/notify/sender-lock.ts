import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";

export const SENDER_LOCK = "sender";

/**
 * Takes the lock (or keeps it): succeeds when it is free, ours, or its holder has been silent for
 * `takeoverMs`. The heartbeat is the fence: a killed holder stops beating, a live one never goes silent.
 */
export async function acquireLock(
  db: Db,
  name: string,
  owner: string,
  now: Date,
  takeoverMs: number,
): Promise<boolean> {
  const stale = new Date(now.getTime() - takeoverMs).toISOString();
  const rows = await db.all<{ owner: string }>(sql`INSERT INTO locks (name, owner, heartbeat_at)
    VALUES (${name}, ${owner}, ${now.toISOString()})
    ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, heartbeat_at = excluded.heartbeat_at
    WHERE locks.owner = excluded.owner OR locks.heartbeat_at < ${stale}
    RETURNING owner`);
  return rows.length === 1;
}

/** Beats the heartbeat; false when the lock is no longer ours. */
export async function heartbeat(db: Db, name: string, owner: string, now: Date): Promise<boolean> {
  const rows = await db.all<{ owner: string }>(
    sql`UPDATE locks SET heartbeat_at = ${now.toISOString()} WHERE name = ${name} AND owner = ${owner} RETURNING owner`,
  );
  return rows.length === 1;
}

/** Lets the next sender start at once (a graceful stop). */
export async function releaseLock(db: Db, name: string, owner: string): Promise<void> {
  await db.run(sql`DELETE FROM locks WHERE name = ${name} AND owner = ${owner}`);
}
