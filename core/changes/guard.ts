import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import type { Statement } from "./commit.ts";

/** The message a guard fails a batch with: the plan was made from state another writer has changed since. */
export const STALE_PLAN = "herald: stale plan";

/**
 * A statement that fails the whole batch when the statement before it changed no row: a plan made
 * from loaded state (a scheduler tick) then commits all or nothing, and a second process running the
 * same plan commits nothing. `json()` of invalid text is the only way to raise an error in plain SQL.
 */
export function failUnlessChanged(db: Db): Statement {
  return db.run(sql`SELECT CASE WHEN changes() = 0 THEN json(${STALE_PLAN}) END`);
}

/** Statements that fail the batch unless the incident is still as it was loaded (same `updated_at`). */
export function expectIncidentUnchanged(db: Db, incident: { id: string; updatedAt: string }): Statement[] {
  return [
    db.run(
      sql`UPDATE incidents SET updated_at = updated_at WHERE id = ${incident.id} AND updated_at = ${incident.updatedAt}`,
    ),
    failUnlessChanged(db),
  ];
}

/** Whether a commit failed on a guard (and may be planned again from fresh state). */
export function isStalePlan(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (/malformed JSON/i.test(e.message) || e.message.includes(STALE_PLAN)) return true;
  }
  return false;
}
