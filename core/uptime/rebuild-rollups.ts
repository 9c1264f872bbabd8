import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import type { Statement } from "../changes/commit.ts";

/**
 * Rebuilds the daily rollups of some components from their whole committed history, as migration 0005
 * does for all: for history written out of order (a backfilled incident lies before later changes, so
 * the incremental rollup of `statusChangeStatements` would count its time twice).
 */
export function rebuildRollupStatements(db: Db, componentIds: string[]): Statement[] {
  const ids = JSON.stringify([...new Set(componentIds)]);
  return [
    db.run(sql`DELETE FROM uptime_daily WHERE component_id IN (SELECT value FROM json_each(${ids}))`),
    db.run(sql`
      INSERT INTO uptime_daily (component_id, day, operational_ms, degraded_ms, partial_ms, major_ms, maintenance_ms, worst)
      WITH RECURSIVE
        changes AS (
          SELECT component_id, new_status, at, rowid AS seq,
            CAST(round((julianday(at) - 2440587.5) * 86400000) AS INTEGER) AS ms
          FROM component_status_changes WHERE component_id IN (SELECT value FROM json_each(${ids}))
        ),
        spans AS (
          SELECT component_id, LAG(new_status) OVER w AS status, LAG(ms) OVER w AS from_ms, ms AS to_ms
          FROM changes
          WINDOW w AS (PARTITION BY component_id ORDER BY at, seq)
        ),
        clipped AS (
          SELECT component_id, status, max(from_ms, (to_ms / 86400000 - 89) * 86400000) AS from_ms, to_ms
          FROM spans WHERE from_ms IS NOT NULL
        ),
        days(component_id, status, d, from_ms, to_ms) AS (
          SELECT component_id, status, from_ms / 86400000, from_ms, to_ms FROM clipped WHERE from_ms < to_ms
          UNION ALL
          SELECT component_id, status, d + 1, from_ms, to_ms FROM days WHERE (d + 1) * 86400000 < to_ms
        ),
        pieces AS (
          SELECT component_id, status, d,
            min((d + 1) * 86400000, to_ms) - max(d * 86400000, from_ms) AS ms,
            CASE status WHEN 'operational' THEN 0 WHEN 'under_maintenance' THEN 1 WHEN 'degraded_performance' THEN 2
              WHEN 'partial_outage' THEN 3 WHEN 'major_outage' THEN 4 END AS severity
          FROM days
        )
      SELECT component_id, date(d * 86400, 'unixepoch'),
        sum(CASE WHEN status = 'operational' THEN ms ELSE 0 END),
        sum(CASE WHEN status = 'degraded_performance' THEN ms ELSE 0 END),
        sum(CASE WHEN status = 'partial_outage' THEN ms ELSE 0 END),
        sum(CASE WHEN status = 'major_outage' THEN ms ELSE 0 END),
        sum(CASE WHEN status = 'under_maintenance' THEN ms ELSE 0 END),
        CASE max(severity) WHEN 0 THEN 'operational' WHEN 1 THEN 'under_maintenance' WHEN 2 THEN 'degraded_performance'
          WHEN 3 THEN 'partial_outage' WHEN 4 THEN 'major_outage' END
      FROM pieces
      GROUP BY component_id, d`),
  ];
}
