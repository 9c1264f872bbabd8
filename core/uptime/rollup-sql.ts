import { type SQL, sql } from "drizzle-orm";
import { COMPONENT_STATUSES, type ComponentStatus } from "../model/statuses.ts";
import { DAY_MS } from "./uptime-days.ts";

/** The `uptime_daily` column that holds the milliseconds spent in each status. */
export const ROLLUP_COLUMN: Record<ComponentStatus, string> = {
  operational: "operational_ms",
  under_maintenance: "maintenance_ms",
  degraded_performance: "degraded_ms",
  partial_outage: "partial_ms",
  major_outage: "major_ms",
};

/**
 * An integer literal. Bound JS numbers reach SQLite as REAL, which would turn the day arithmetic
 * (`ms / 86400000`) into a division with a fraction.
 */
export function integer(value: number): SQL {
  if (!Number.isSafeInteger(value)) throw new Error(`not an integer: ${value}`);
  return sql.raw(String(value));
}

export const DAY = integer(DAY_MS);

/** A stored timestamp (`2024-09-16T21:31:02.719Z`) as integer milliseconds since 1970. */
export function millisecondsOf(timestamp: SQL): SQL {
  return sql`CAST(round((julianday(${timestamp}) - 2440587.5) * 86400000) AS INTEGER)`;
}

/** The severity rank of a status expression (0 operational … 4 major outage). */
export function severityOf(status: SQL): SQL {
  return sql`CASE ${status} ${sql.join(
    COMPONENT_STATUSES.map((s, rank) => sql`WHEN ${sql.raw(`'${s}'`)} THEN ${integer(rank)}`),
    sql` `,
  )} END`;
}

/** `worst` of a row after adding time in a new status: the more severe of the two. */
export const WORST_ON_CONFLICT = sql`CASE WHEN uptime_daily.worst IS NULL OR ${severityOf(sql`excluded.worst`)} > ${severityOf(
  sql`uptime_daily.worst`,
)} THEN excluded.worst ELSE uptime_daily.worst END`;

/**
 * Adds pieces of time to the daily rollups: `pieces` selects `component_id`, `d` (the UTC day as days
 * since 1970), `ms` and `status`, at most one row per component and day.
 */
export function insertRollups(pieces: SQL): SQL {
  const columns = COMPONENT_STATUSES.map((s) => sql.raw(ROLLUP_COLUMN[s]));
  return sql`
    INSERT INTO uptime_daily (component_id, day, ${sql.join(columns, sql`, `)}, worst)
    SELECT component_id, date(d * 86400, 'unixepoch'),
      ${sql.join(
        COMPONENT_STATUSES.map((s) => sql`CASE WHEN status = ${sql.raw(`'${s}'`)} THEN ms ELSE 0 END`),
        sql`, `,
      )},
      status
    FROM (${pieces}) WHERE true
    ON CONFLICT (component_id, day) DO UPDATE SET
      ${sql.join(
        columns.map((c) => sql`${c} = uptime_daily.${c} + excluded.${c}`),
        sql`, `,
      )},
      worst = ${WORST_ON_CONFLICT}`;
}
