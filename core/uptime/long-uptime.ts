import { and, asc, gte, inArray, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { componentStatusChanges } from "../../db/schema.ts";
import type { ComponentRow } from "../model/rows.ts";
import { trackedSince } from "./read-uptime.ts";
import { computeUptime, type StatusChange, type Uptime, uptimeWindowStart } from "./uptime-days.ts";

/** The windows of the public reliability page, in days. */
export const RELIABILITY_WINDOWS = [30, 90, 365] as const;
export type ReliabilityWindow = (typeof RELIABILITY_WINDOWS)[number];

/**
 * Each component's uptime over windows longer than the daily rollups keep (`uptime_daily` holds ~90 days
 * per change), computed by `computeUptime` itself from the status history: the changes inside the longest
 * window plus the last one before it (the status the window opens with). Equal to `computeUptime` over the
 * whole history by construction (what lies before the window is clipped); one range of the
 * `(component_id, at)` index per component.
 */
export async function readLongUptimes(
  db: Db,
  rows: ComponentRow[],
  asOf: string,
  windows: readonly number[] = RELIABILITY_WINDOWS,
): Promise<Map<string, Map<number, Uptime>>> {
  const measured = rows.filter((c) => !c.isGroup);
  const result = new Map<string, Map<number, Uptime>>();
  if (measured.length === 0) return result;
  const longest = Math.max(...windows);
  const opens = new Date(uptimeWindowStart(asOf, longest)).toISOString();
  const history = await statusHistorySince(
    db,
    measured.map((c) => c.id),
    opens,
  );
  for (const component of measured) {
    const changes = history.get(component.id) ?? [];
    const since = trackedSince(component);
    const perWindow = new Map<number, Uptime>();
    for (const days of windows)
      perWindow.set(days, computeUptime({ changes, currentStatus: component.status, since, asOf, days }));
    result.set(component.id, perWindow);
  }
  return result;
}

/** Each component's changes at or after `from`, after the last one before it; oldest first, ties in write order. */
async function statusHistorySince(db: Db, ids: string[], from: string): Promise<Map<string, StatusChange[]>> {
  const history = componentStatusChanges;
  const columns = {
    componentId: history.componentId,
    at: history.at,
    oldStatus: history.oldStatus,
    newStatus: history.newStatus,
  };
  // Two index ranges per component rather than one OR, which SQLite would answer by reading every change.
  const [before, inside] = await Promise.all([
    db
      .select(columns)
      .from(history)
      .where(
        sql`${history}.rowid IN (SELECT (SELECT earlier.rowid FROM ${history} AS earlier
          WHERE earlier.component_id = c.value AND earlier.at < ${from}
          ORDER BY earlier.at DESC, earlier.rowid DESC LIMIT 1) FROM json_each(${JSON.stringify(ids)}) AS c)`,
      ),
    db
      .select(columns)
      .from(history)
      .where(and(inArray(history.componentId, ids), gte(history.at, from)))
      .orderBy(asc(history.componentId), asc(history.at), sql`${history}.rowid`),
  ]);
  const byComponent = new Map<string, StatusChange[]>();
  for (const { componentId, ...change } of [...before, ...inside]) {
    const list = byComponent.get(componentId) ?? [];
    list.push(change);
    byComponent.set(componentId, list);
  }
  return byComponent;
}
