import { and, gte, inArray, lte, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { selectRowsAsJson } from "../../db/json-rows.ts";
import { componentStatusChanges, components, uptimeDaily } from "../../db/schema.ts";
import type { ComponentRow } from "../model/rows.ts";
import type { ComponentStatus } from "../model/statuses.ts";
import {
  addInterval,
  DAY_MS,
  emptyStatusMs,
  type StatusMs,
  summarizeUptime,
  UPTIME_DAYS,
  type Uptime,
  uptimeWindowStart,
} from "./uptime-days.ts";

/** When a component's uptime begins: its start date or its creation, whichever is earlier. */
export function trackedSince(component: Pick<ComponentRow, "createdAt" | "startDate">): string {
  const start = component.startDate ? `${component.startDate}T00:00:00.000Z` : null;
  return start !== null && start < component.createdAt ? start : component.createdAt;
}

type HistoryEnds = {
  id: string;
  firstAt: string | null;
  firstOldStatus: ComponentStatus | null;
  lastAt: string | null;
  lastNewStatus: ComponentStatus | null;
};

/**
 * The 90-day uptime of the given components as of `asOf` (the page's `updated_at`, never earlier than
 * their last status change), from their daily rollups plus what no rollup holds yet: the time before a
 * component's first change and since its last. Two queries, whatever the length of the history.
 * Equal to `computeUptime` over the whole history (test/integration/uptime-rollups.test.ts).
 */
export async function readUptimes(db: Db, rows: ComponentRow[], asOf: string): Promise<Map<string, Uptime>> {
  const result = new Map<string, Uptime>();
  const measured = rows.filter((c) => !c.isGroup);
  if (measured.length === 0) return result;
  const firstDay = uptimeWindowStart(asOf);
  const end = new Date(asOf).getTime();
  const ids = measured.map((c) => c.id);
  const [rollups, ends] = await Promise.all([
    // 900 rows of numbers on every change: as JSON they read in a seventh of the time. In no order: each
    // row is placed by its component and day.
    selectRowsAsJson(db, uptimeDaily, {
      where: and(
        inArray(uptimeDaily.componentId, ids),
        gte(uptimeDaily.day, isoDay(firstDay)),
        lte(uptimeDaily.day, isoDay(firstDay + (UPTIME_DAYS - 1) * DAY_MS)),
      ),
    }),
    historyEnds(db, ids),
  ]);
  const perComponent = new Map(ids.map((id) => [id, Array.from({ length: UPTIME_DAYS }, emptyStatusMs)]));
  for (const row of rollups) {
    const day = perComponent.get(row.componentId)?.[Math.round((Date.parse(row.day) - firstDay) / DAY_MS)];
    if (day) addRollup(day, row);
  }
  const endsById = new Map(ends.map((e) => [e.id, e]));
  for (const component of measured) {
    const perDay = perComponent.get(component.id) ?? [];
    const since = trackedSince(component);
    const history = endsById.get(component.id);
    const current = history?.lastNewStatus ?? component.status;
    const sinceMs = Date.parse(since);
    if (history?.firstAt && history.firstOldStatus) {
      const firstAt = Date.parse(history.firstAt);
      addInterval(perDay, firstDay, { from: sinceMs, to: Math.min(firstAt, end), status: history.firstOldStatus });
    }
    const lastAt = history?.lastAt ? Date.parse(history.lastAt) : Number.NEGATIVE_INFINITY;
    addInterval(perDay, firstDay, { from: Math.max(sinceMs, lastAt), to: end, status: current });
    result.set(component.id, summarizeUptime({ perDay, firstDay, asOf, since, currentStatus: current }));
  }
  return result;
}

function addRollup(day: StatusMs, row: typeof uptimeDaily.$inferSelect): void {
  day.operational += row.operationalMs;
  day.under_maintenance += row.maintenanceMs;
  day.degraded_performance += row.degradedMs;
  day.partial_outage += row.partialMs;
  day.major_outage += row.majorMs;
}

/** Each component's first and last status change: four index lookups per component. */
async function historyEnds(db: Db, ids: string[]): Promise<HistoryEnds[]> {
  const history = componentStatusChanges;
  const first = (column: typeof history.at | typeof history.oldStatus | typeof history.newStatus, newest: boolean) =>
    sql`(SELECT ${column} FROM ${history} WHERE ${history.componentId} = ${components.id} ORDER BY ${history.at} ${sql.raw(
      newest ? "DESC" : "ASC",
    )}, ${history}.rowid ${sql.raw(newest ? "DESC" : "ASC")} LIMIT 1)`;
  return db
    .select({
      id: components.id,
      firstAt: sql<string | null>`${first(history.at, false)}`,
      firstOldStatus: sql<ComponentStatus | null>`${first(history.oldStatus, false)}`,
      lastAt: sql<string | null>`${first(history.at, true)}`,
      lastNewStatus: sql<ComponentStatus | null>`${first(history.newStatus, true)}`,
    })
    .from(components)
    .where(inArray(components.id, ids));
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
