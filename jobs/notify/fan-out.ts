import { eq, inArray, sql } from "drizzle-orm";
import type { Clock } from "../../core/actions/clock.ts";
import { recipientsOf } from "../../core/notifications/audience.ts";
import type { Db } from "../../db/client.ts";
import { components, notificationEvents } from "../../db/schema.ts";

/** Subscribers fanned out per batch: each chunk and its cursor commit together. */
export const FANOUT_CHUNK = 2_000;

/** A fresh delivery id in SQL (12 lowercase hex characters, a subset of our base36 ids). */
const NEW_ID = sql.raw("lower(hex(randomblob(6)))");

/** `isTeamDestination` and its `canBeTeam` (core/notifications/audience.ts) in SQL, for subscribers `s`: change them together. */
const TEAM_DESTINATION = sql.raw("(s.team = 1 AND NOT (s.channel = 'webhook' AND s.source = 'form'))");

/**
 * Turns one notification event into one `deliveries` row per recipient its kind's contract allows
 * (`recipientsOf`: public kinds to subscribers, team kinds to team destinations only), in chunks of
 * FANOUT_CHUNK ordered by subscriber id. Each chunk's rows, the event's cursor and its `queued`
 * counter commit in one batch, so a crash resumes at the cursor and a repeated chunk inserts nothing.
 * Returns the deliveries inserted by this call.
 */
export async function fanOut(db: Db, clock: Clock, eventId: string): Promise<number> {
  const [event] = await db.select().from(notificationEvents).where(eq(notificationEvents.id, eventId));
  if (!event || event.fanoutDoneAt) return 0;
  const now = clock.now().toISOString();

  const recipients = recipientsOf(event);
  if (recipients.kind !== "list") {
    // An addressed event goes to its one recipient whatever its state (a confirmation goes to the
    // unconfirmed); a team one only if that recipient is a team destination.
    const to = recipients.kind === "addressed" ? recipients.subscriberId : null;
    const teamOnly = recipients.kind === "addressed" && recipients.teamOnly ? 1 : 0;
    await db.batch([
      db.run(sql`INSERT INTO deliveries (id, event_id, subscriber_id, state, attempts, next_attempt_at, created_at)
        SELECT ${NEW_ID}, ${event.id}, s.id, 'queued', 0, ${now}, ${now} FROM subscribers s
        WHERE s.id = ${to} AND (${teamOnly} = 0 OR ${TEAM_DESTINATION})
        ON CONFLICT (event_id, subscriber_id) DO NOTHING`),
      db.run(
        sql`UPDATE notification_events SET queued = queued + changes(), fanout_done_at = ${now} WHERE id = ${event.id}`,
      ),
    ]);
    return 1;
  }

  const scope = await scopeOf(db, event.componentIds);
  const formats = JSON.stringify(recipients.formats);
  const teamOnly = recipients.teamOnly ? 1 : 0;
  // An event naming no component is about the whole page: every scope takes it (`scopeTakesEvent`).
  const pageWide = scope.length === 0 ? 1 : 0;
  // A component's retirement goes only to subscriptions that name it or its group (docs/inventory.md).
  const namedOnly = recipients.namedOnly ? 1 : 0;
  let cursor = event.fanoutCursor ?? "";
  let inserted = 0;
  for (;;) {
    const rows = await db.all<{ id: string }>(sql`SELECT s.id FROM subscribers s
      WHERE s.id > ${cursor} AND s.state = 'active' AND s.format IN (SELECT value FROM json_each(${formats}))
        AND (${teamOnly} = 0 OR ${TEAM_DESTINATION})
        AND ((${namedOnly} = 0 AND (s.all_components = 1 OR ${pageWide} = 1)) OR (s.all_components = 0 AND EXISTS (
          SELECT 1 FROM subscriber_components sc
          WHERE sc.subscriber_id = s.id AND sc.component_id IN (SELECT value FROM json_each(${JSON.stringify(scope)})))))
      ORDER BY s.id LIMIT ${FANOUT_CHUNK}`);
    const ids = rows.map((row) => row.id);
    const last = ids.at(-1);
    const done = ids.length < FANOUT_CHUNK;
    if (last === undefined) {
      await db.update(notificationEvents).set({ fanoutDoneAt: now }).where(eq(notificationEvents.id, event.id));
      return inserted;
    }
    await db.batch([
      db.run(sql`INSERT INTO deliveries (id, event_id, subscriber_id, state, attempts, next_attempt_at, created_at)
        SELECT ${NEW_ID}, ${event.id}, value, 'queued', 0, ${now}, ${now} FROM json_each(${JSON.stringify(ids)})
        WHERE true ON CONFLICT (event_id, subscriber_id) DO NOTHING`),
      db.run(sql`UPDATE notification_events SET queued = queued + changes(), fanout_cursor = ${last},
        fanout_done_at = ${done ? now : null} WHERE id = ${event.id}`),
    ]);
    inserted += ids.length;
    cursor = last;
    if (done) return inserted;
  }
}

/**
 * The component ids a scoped subscriber may have chosen to hear about this event: the event's
 * components and the groups holding them (a group scope covers its members).
 */
async function scopeOf(db: Db, componentIds: string[]): Promise<string[]> {
  if (componentIds.length === 0) return [];
  const rows = await db
    .select({ id: components.id, groupId: components.groupId })
    .from(components)
    .where(inArray(components.id, componentIds));
  return [...new Set([...componentIds, ...rows.flatMap((row) => (row.groupId ? [row.groupId] : []))])];
}
