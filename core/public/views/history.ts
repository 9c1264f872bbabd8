import { desc, sql } from "drizzle-orm";
import { selectRowsAsJson } from "../../../db/json-rows.ts";
import { historyMonths as historyMonthCounts, incidents } from "../../../db/schema.ts";
import { loadIncidentRecords } from "../../incidents/load-incidents.ts";
import { formatMonth } from "../../presentation/time.ts";
import type { PublicReads } from "../reads.ts";
import { incidentView, pageInfo } from "./shared.ts";
import type { HistoryIndexView, HistoryMonth, HistoryMonthView } from "./types.ts";

const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The months with incidents, newest first, from their counts (one row per month, whatever the history). */
async function historyMonths(reads: PublicReads): Promise<HistoryMonth[]> {
  const rows = await reads.db.select().from(historyMonthCounts).orderBy(desc(historyMonthCounts.month));
  return rows.map((r) => ({
    month: r.month,
    label: formatMonth(r.month),
    count: r.incidents + r.maintenances,
    incidents: r.incidents,
    maintenances: r.maintenances,
  }));
}

export async function historyIndexView(reads: PublicReads): Promise<HistoryIndexView> {
  const [page, months] = await Promise.all([pageInfo(reads), historyMonths(reads)]);
  return { page, months };
}

/** Every incident and maintenance that started in one month, newest first: history is never capped. */
export async function historyMonthView(reads: PublicReads, month: string): Promise<HistoryMonthView | null> {
  if (!MONTH_PATTERN.test(month)) return null;
  const [page, months] = await Promise.all([pageInfo(reads), historyMonths(reads)]);
  const at = months.findIndex((m) => m.month === month);
  const current = months[at];
  if (!current) return null;
  const rows = await selectRowsAsJson(reads.db, incidents, {
    where: sql`substr(${incidents.startedAt}, 1, 7) = ${month}`,
    orderBy: sql`${incidents.startedAt} DESC, ${incidents.id} DESC`,
  });
  return {
    page,
    month: current,
    incidents: (await loadIncidentRecords(reads.db, rows, { latestUpdateOnly: true })).map(incidentView),
    newer: months[at - 1] ?? null,
    older: months[at + 1] ?? null,
  };
}
