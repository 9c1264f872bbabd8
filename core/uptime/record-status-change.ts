import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { componentStatusChanges } from "../../db/schema.ts";
import type { Statement } from "../changes/commit.ts";
import { newId } from "../model/ids.ts";
import type { ComponentStatus } from "../model/statuses.ts";
import { rebuildRollupStatements } from "./rebuild-rollups.ts";
import { DAY, insertRollups, integer, millisecondsOf } from "./rollup-sql.ts";
import { DAY_MS, UPTIME_DAYS } from "./uptime-days.ts";

export type StatusChange = {
  componentId: string;
  oldStatus: ComponentStatus;
  newStatus: ComponentStatus;
  at: string;
  incidentId?: string | null | undefined;
  updateId?: string | null | undefined;
  /** The alert that moved it, for a change the alert automation made. */
  alertId?: string | null | undefined;
};

/**
 * The statements that record a component's status change: its history row (the source of uptime) and
 * everything derived from it that must stay in step within the same batch. Every status change goes
 * through here.
 */
export function statusChangeStatements(db: Db, change: StatusChange): Statement[] {
  return [
    // Before the history row: the rollup reads the component's previous change.
    closeIntervalStatement(db, change),
    historyRow(db, change),
  ];
}

/**
 * Adds the time from the component's previous change to this one, spent in the status that change set,
 * to the daily rollups (`uptime_daily`), split over the UTC days it spans. Computed in SQL when the batch
 * runs, so it follows the history as committed. Days that can never again fall in a 90-day window (as of
 * this change or later) are skipped. The time before a component's first change and since its last are
 * added when read (`read-uptime.ts`): they depend on its start date and on the time of the render.
 */
function closeIntervalStatement(db: Db, change: StatusChange): Statement {
  const to = new Date(change.at).getTime();
  if (Number.isNaN(to)) throw new Error(`A status change needs a valid time, not "${change.at}".`);
  const oldest = (Math.floor(to / DAY_MS) - (UPTIME_DAYS - 1)) * DAY_MS;
  const history = componentStatusChanges;
  return db.run(sql`
    WITH RECURSIVE
      span(from_ms, status) AS (
        SELECT max(${millisecondsOf(sql`${history.at}`)}, ${integer(oldest)}), ${history.newStatus} FROM ${history}
        WHERE ${history.componentId} = ${change.componentId}
        ORDER BY ${history.at} DESC, ${history}.rowid DESC LIMIT 1
      ),
      days(d) AS (
        SELECT from_ms / ${DAY} FROM span WHERE from_ms < ${integer(to)}
        UNION ALL
        SELECT d + 1 FROM days WHERE (d + 1) * ${DAY} < ${integer(to)}
      ),
      pieces(d, ms, status) AS (
        SELECT d, min((d + 1) * ${DAY}, ${integer(to)}) - max(d * ${DAY}, from_ms), status FROM days, span
      )
    ${insertRollups(sql`SELECT ${change.componentId} AS component_id, d, ms, status FROM pieces`)}
  `);
}

/**
 * Status changes recorded after the fact (a backfilled incident): their history rows, then the
 * components' rollups rebuilt from the whole history, since they may lie before changes already counted.
 */
export function pastStatusChangeStatements(db: Db, changes: StatusChange[]): Statement[] {
  if (changes.length === 0) return [];
  return [
    ...changes.map((change) => historyRow(db, change)),
    ...rebuildRollupStatements(
      db,
      changes.map((c) => c.componentId),
    ),
  ];
}

function historyRow(db: Db, change: StatusChange): Statement {
  return db.insert(componentStatusChanges).values({
    id: newId(),
    componentId: change.componentId,
    oldStatus: change.oldStatus,
    newStatus: change.newStatus,
    at: change.at,
    incidentId: change.incidentId ?? null,
    updateId: change.updateId ?? null,
    alertId: change.alertId ?? null,
  });
}
