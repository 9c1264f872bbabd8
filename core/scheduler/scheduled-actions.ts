import { and, asc, eq, isNull, lte, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import type { ScheduledActionName } from "../../db/enums.ts";
import { scheduledActions } from "../../db/schema.ts";
import type { Statement } from "../changes/commit.ts";
import { failUnlessChanged } from "../changes/guard.ts";

/** A stored "run this action at time T" (docs/architecture.md): a timed update or an incident to open. */
export type ScheduledActionRow = typeof scheduledActions.$inferSelect;

/**
 * Runs due at one instant run in the order they were written (as the page orders updates shown at one
 * instant): one scheduled after another for the same time is the later one.
 */
export const DUE_ORDER = [asc(scheduledActions.runAt), asc(scheduledActions.createdAt), sql`${scheduledActions}.rowid`];

/** The stored runs of one action (and `where`), in `orderBy` order. */
export function readScheduledActions(
  db: Db,
  action: ScheduledActionName,
  where: SQL | undefined,
  orderBy: SQL[] = DUE_ORDER,
): Promise<ScheduledActionRow[]> {
  return db
    .select()
    .from(scheduledActions)
    .where(and(eq(scheduledActions.action, action), where))
    .orderBy(...orderBy);
}

/** One stored run of `action` by id, or null. */
export async function findScheduledAction(
  db: Db,
  action: ScheduledActionName,
  id: string,
): Promise<ScheduledActionRow | null> {
  const [row] = await readScheduledActions(db, action, eq(scheduledActions.id, id));
  return row ?? null;
}

/** The runs of `action` due at `now` that have not failed, in due order. */
export function dueScheduledActions(db: Db, action: ScheduledActionName, now: Date): Promise<ScheduledActionRow[]> {
  return readScheduledActions(db, action, dueAt(now));
}

/** One run of `action`, while it still waits (not failed) and is due at `now`; null once run, cancelled or moved. */
export async function dueScheduledAction(
  db: Db,
  action: ScheduledActionName,
  id: string,
  now: Date,
): Promise<ScheduledActionRow | null> {
  const [row] = await readScheduledActions(db, action, and(eq(scheduledActions.id, id), dueAt(now)));
  return row ?? null;
}

function dueAt(now: Date): SQL | undefined {
  return and(isNull(scheduledActions.failure), lte(scheduledActions.runAt, now.toISOString()));
}

/** The statements that remove a waiting run, failing the batch when another writer removed it first. */
export function takeScheduledAction(db: Db, action: ScheduledActionName, id: string): Statement[] {
  return [
    db.delete(scheduledActions).where(and(eq(scheduledActions.id, id), eq(scheduledActions.action, action))),
    failUnlessChanged(db),
  ];
}
