import { COMPONENT_STATUSES, type ComponentStatus } from "../model/statuses.ts";

export const UPTIME_DAYS = 90;
/** How much of a partial outage counts as down time. */
export const PARTIAL_OUTAGE_WEIGHT = 0.3;
export const DAY_MS = 86_400_000;

export type StatusChange = { at: string; oldStatus: ComponentStatus; newStatus: ComponentStatus };

export type UptimeDay = {
  /** `YYYY-MM-DD`, UTC. */
  date: string;
  /** 0–1, or null when the component did not exist yet or the whole day was maintenance. */
  uptime: number | null;
  worst: ComponentStatus | null;
  majorOutageMinutes: number;
  partialOutageMinutes: number;
  degradedMinutes: number;
  maintenanceMinutes: number;
};

export type Uptime = {
  days: UptimeDay[];
  percent: number | null;
  /** The UTC day tracking began (`YYYY-MM-DD`) when that is inside the window; null: the whole window counts. */
  since: string | null;
};

/** Milliseconds spent in each status during one UTC day. */
export type StatusMs = Record<ComponentStatus, number>;

export function emptyStatusMs(): StatusMs {
  return { operational: 0, under_maintenance: 0, degraded_performance: 0, partial_outage: 0, major_outage: 0 };
}

/** The first UTC day (as ms) of the `days`-day window that ends with the day of `asOf`. */
export function uptimeWindowStart(asOf: string, days = UPTIME_DAYS): number {
  return Math.floor(new Date(asOf).getTime() / DAY_MS) * DAY_MS - (days - 1) * DAY_MS;
}

/**
 * Adds the time from `from` to `to` (ms) spent in `status` to the window's days (`perDay[0]` is the
 * day starting at `firstDay`), clipped to the window.
 */
export function addInterval(
  perDay: StatusMs[],
  firstDay: number,
  interval: { from: number; to: number; status: ComponentStatus },
): void {
  const to = Math.min(interval.to, firstDay + perDay.length * DAY_MS);
  for (let from = Math.max(interval.from, firstDay); from < to; ) {
    const index = Math.floor((from - firstDay) / DAY_MS);
    const dayEnd = firstDay + (index + 1) * DAY_MS;
    const end = Math.min(to, dayEnd);
    const day = perDay[index];
    if (day) day[interval.status] += end - from;
    from = end;
  }
}

/**
 * The uptime a page shows, from the milliseconds spent in each status on each day of the window.
 * `currentStatus` is the status at `asOf`: today's bar shows it even when it began at that very moment.
 */
export function summarizeUptime(options: {
  perDay: StatusMs[];
  firstDay: number;
  asOf: string;
  since: string;
  currentStatus: ComponentStatus;
}): Uptime {
  const end = new Date(options.asOf).getTime();
  const tracked = end >= new Date(options.since).getTime();
  const result: UptimeDay[] = [];
  let measured = 0;
  let down = 0;
  options.perDay.forEach((ms, index) => {
    const day = options.firstDay + index * DAY_MS;
    const dayMeasured = ms.operational + ms.degraded_performance + ms.partial_outage + ms.major_outage;
    const dayDown = ms.major_outage + PARTIAL_OUTAGE_WEIGHT * ms.partial_outage;
    // A status that began at `asOf` has had no time yet, but today's bar must still show it.
    const isToday = end >= day && end < day + DAY_MS;
    // COMPONENT_STATUSES runs from least to most severe.
    const seen = COMPONENT_STATUSES.filter((s) => ms[s] > 0 || (isToday && tracked && s === options.currentStatus));
    measured += dayMeasured;
    down += dayDown;
    result.push({
      date: new Date(day).toISOString().slice(0, 10),
      uptime: dayMeasured > 0 ? 1 - dayDown / dayMeasured : null,
      worst: seen.at(-1) ?? null,
      majorOutageMinutes: Math.round(ms.major_outage / 60_000),
      partialOutageMinutes: Math.round(ms.partial_outage / 60_000),
      degradedMinutes: Math.round(ms.degraded_performance / 60_000),
      maintenanceMinutes: Math.round(ms.under_maintenance / 60_000),
    });
  });
  const since = options.since.slice(0, 10);
  return {
    days: result,
    percent: measured > 0 ? 1 - down / measured : null,
    since: Date.parse(`${since}T00:00:00Z`) > options.firstDay ? since : null,
  };
}

/**
 * Uptime per UTC day over the last `days` days up to `asOf`, from a component's status history.
 * Rule (shown on the page): major outage is down time, partial outage counts 30 % as down, degraded
 * performance counts as up, and maintenance is left out of the measured time.
 *
 * This is the reference: pages read the same figures from daily rollups (`core/uptime/read-uptime.ts`),
 * and a test holds the two equal over random histories.
 */
export function computeUptime(options: {
  changes: StatusChange[];
  currentStatus: ComponentStatus;
  /** When tracking begins: the component's start date or creation. */
  since: string;
  asOf: string;
  days?: number;
}): Uptime {
  const days = options.days ?? UPTIME_DAYS;
  const end = new Date(options.asOf).getTime();
  const firstDay = uptimeWindowStart(options.asOf, days);
  const changes = [...options.changes].sort((a, b) => a.at.localeCompare(b.at));

  // Status intervals: before the first change, the status that change left.
  const perDay = Array.from({ length: days }, emptyStatusMs);
  let status: ComponentStatus = changes[0]?.oldStatus ?? options.currentStatus;
  let from = new Date(options.since).getTime();
  for (const change of changes) {
    const at = new Date(change.at).getTime();
    if (at > from) addInterval(perDay, firstDay, { from, to: Math.min(at, end), status });
    from = Math.max(from, at);
    status = change.newStatus;
  }
  if (end > from) addInterval(perDay, firstDay, { from, to: end, status });
  return summarizeUptime({ perDay, firstDay, asOf: options.asOf, since: options.since, currentStatus: status });
}
