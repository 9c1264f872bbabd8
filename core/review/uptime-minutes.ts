/**
 * The time each component spent in each status during a period, from its status history (the rule of
 * docs/architecture.md "Uptime": major outage down, partial outage 30 % down, degraded up, maintenance not
 * counted). Exact to the millisecond, from the changes themselves: rollups are per UTC day and a period is not.
 */
import type { ComponentStatus } from "../../db/enums.ts";
import { emptyStatusMs, PARTIAL_OUTAGE_WEIGHT, type StatusMs } from "../uptime/uptime-days.ts";
import type { ReviewComponent, ReviewStatusChange } from "./load-review-data.ts";
import type { ReviewPeriod } from "./types.ts";

/**
 * Milliseconds per status over `period` (clipped to tracking and to now). `changes` are the component's changes
 * since `windowFrom`, oldest first; `before` its status before that, if it changed earlier.
 */
export function statusMsOver(
  component: ReviewComponent,
  history: { windowFrom: string; before: ComponentStatus | undefined; changes: ReviewStatusChange[] },
  period: ReviewPeriod,
  now: number,
): StatusMs {
  const totals = emptyStatusMs();
  const start = Math.max(Date.parse(period.from), Date.parse(component.trackedSince));
  const end = Math.min(Date.parse(period.to), now);
  if (end <= start) return totals;
  let status = history.before ?? history.changes[0]?.oldStatus ?? component.status;
  let cursor = Date.parse(history.windowFrom);
  for (const change of history.changes) {
    const at = Date.parse(change.at);
    if (at >= end) break;
    add(totals, status, Math.max(cursor, start), Math.min(at, end));
    status = change.newStatus;
    cursor = at;
  }
  add(totals, status, Math.max(cursor, start), end);
  return totals;
}

function add(totals: StatusMs, status: ComponentStatus, from: number, to: number): void {
  if (to > from) totals[status] += to - from;
}

/** Uptime in percent by the documented rule; null when no time counted. */
export function uptimePercent(ms: StatusMs): number | null {
  const measured = ms.operational + ms.degraded_performance + ms.partial_outage + ms.major_outage;
  if (measured === 0) return null;
  return 100 * (1 - (ms.major_outage + PARTIAL_OUTAGE_WEIGHT * ms.partial_outage) / measured);
}

export function sumStatusMs(parts: StatusMs[]): StatusMs {
  const totals = emptyStatusMs();
  for (const part of parts)
    for (const status of Object.keys(totals) as ComponentStatus[]) totals[status] += part[status];
  return totals;
}
