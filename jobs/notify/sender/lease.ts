import { sql } from "drizzle-orm";
import type { ChannelName } from "../../../core/notifications/channel.ts";
import type { Db } from "../../../db/client.ts";

/** A delivery this sender holds (`state = 'sending'`): its row's ids and the attempts made before this one. */
export type LeasedDelivery = { id: string; event_id: string; subscriber_id: string; attempts: number };

/** Lease backstop: a live sender never loses its rows (a send may take minutes); a new sender requeues at start. */
export const LEASE_MS = 15 * 60_000;

/**
 * Claims up to `limit` due deliveries of the `served` channels for `owner` in one statement
 * (`UPDATE … WHERE id IN (SELECT … LIMIT k) RETURNING`), so two leasers never get the same row. In
 * order per subscriber: a delivery waits while an earlier event's delivery to the same subscriber is
 * still queued or sending (events ordered by their rowid). An addressed event (a confirmation, a
 * webhook's disabled notice) is a mail whatever the subscriber's channel, so serving `email` takes it.
 */
export async function leaseDue(
  db: Db,
  lease: { owner: string; now: Date; served: ChannelName[]; limit: number },
): Promise<LeasedDelivery[]> {
  const { owner, now, served, limit } = lease;
  return db.all<LeasedDelivery>(sql`UPDATE deliveries SET state = 'sending', lease_owner = ${owner},
      lease_until = ${new Date(now.getTime() + LEASE_MS).toISOString()}
    WHERE id IN (SELECT d.id FROM deliveries d LEFT JOIN subscribers s ON s.id = d.subscriber_id
      WHERE d.state IN ('queued', 'sending') AND d.state = 'queued' AND d.next_attempt_at <= ${now.toISOString()}
        AND (s.id IS NULL OR s.channel IN (SELECT value FROM json_each(${JSON.stringify(served)}))
          OR (${served.includes("email")} AND EXISTS (SELECT 1 FROM notification_events e
            WHERE e.id = d.event_id AND e.subscriber_id IS NOT NULL)))
        -- In order per subscriber: not while an earlier event's delivery to it is still on its way.
        AND NOT EXISTS (SELECT 1 FROM deliveries p
          JOIN notification_events pe ON pe.id = p.event_id
          JOIN notification_events me ON me.id = d.event_id
          WHERE p.subscriber_id = d.subscriber_id AND p.state IN ('queued', 'sending') AND pe.rowid < me.rowid)
      ORDER BY d.next_attempt_at LIMIT ${limit})
    RETURNING id, event_id, subscriber_id, attempts`);
}

/** Whatever a dead sender was sending is due again: called by the lock's new holder, so every `sending` row is orphaned. */
export async function requeueOrphans(db: Db): Promise<void> {
  await db.run(
    sql`UPDATE deliveries SET state = 'queued', lease_owner = NULL, lease_until = NULL WHERE state IN ('queued', 'sending') AND state = 'sending'`,
  );
}
