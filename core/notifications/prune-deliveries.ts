import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";

export type PruneOptions = {
  /** Rows deleted per statement: each is a short write, so the API and the sender never wait long for the lock. */
  batch?: number;
  /** Pause between two statements (ms). */
  pauseMs?: number;
  /** Stops after this many rows (the next run goes on). */
  limit?: number;
};

/**
 * Deletes the `sent` and `failed` delivery rows of events older than the retention, never a `queued` or
 * `sending` one, in bounded batches (one index range of `deliveries_event_subscriber_idx` per event).
 * What the admin sees stays true: each event's `queued`, `sent`, `failed`, `bounced` and `complained`
 * counters live on its `notification_events` row, moved with every mark, and are never recounted from
 * rows. Returns the number of rows deleted. Runtime-neutral (a Workers cron could run it too).
 */
export async function pruneDeliveries(
  db: Db,
  now: Date,
  retentionMs: number,
  options: PruneOptions = {},
): Promise<number> {
  if (retentionMs <= 0) return 0;
  const batch = options.batch ?? 500;
  const pauseMs = options.pauseMs ?? 10;
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const cutoff = new Date(now.getTime() - retentionMs).toISOString();
  const events = await db.all<{ id: string }>(sql`SELECT e.id FROM notification_events e
    WHERE e.created_at < ${cutoff}
      AND EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = e.id AND d.state IN ('sent', 'failed'))
    ORDER BY e.created_at`);
  let deleted = 0;
  for (const { id } of events) {
    for (;;) {
      if (deleted >= limit) return deleted;
      const result = await db.run(sql`DELETE FROM deliveries WHERE rowid IN (
        SELECT rowid FROM deliveries WHERE event_id = ${id} AND state IN ('sent', 'failed')
        LIMIT ${Math.min(batch, limit - deleted)})`);
      deleted += result.rowsAffected;
      if (result.rowsAffected === 0) break;
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }
  return deleted;
}
