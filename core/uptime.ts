import type { ComponentStatus } from "./statuses.ts";

export const UPTIME_DAYS = 90;
/** How much of a partial outage counts as down time. */
export const PARTIAL_OUTAGE_WEIGHT = 0.3;
const DAY_MS = 86_400_000;

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

export type Uptime = { days: UptimeDay[]; percent: number | null };

const SEVERITY: ComponentStatus[] = [
  "operational",
  "under_maintenance",
  "degraded_performance",
  "partial_outage",
  "major_outage",
];

/**
 * Uptime per UTC day over the last `days` days up to `asOf`, from a component's status history.
 * Rule (shown on the page): major outage is down time, partial outage counts 30 % as down, degraded
 * performance counts as up, and maintenance is left out of the measured time.
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
  const firstDay = Math.floor(end / DAY_MS) * DAY_MS - (days - 1) * DAY_MS;
  const since = new Date(options.since).getTime();
  const changes = [...options.changes].sort((a, b) => a.at.localeCompare(b.at));

  // Status intervals: before the first change, the status that change left.
  const intervals: { from: number; to: number; status: ComponentStatus }[] = [];
  let status: ComponentStatus = changes[0]?.oldStatus ?? options.currentStatus;
  let from = since;
  for (const change of changes) {
    const at = new Date(change.at).getTime();
    if (at > from) intervals.push({ from, to: at, status });
    from = Math.max(from, at);
    status = change.newStatus;
  }
  if (end > from) intervals.push({ from, to: end, status });

  const result: UptimeDay[] = [];
  let measured = 0;
  let down = 0;
  for (let day = firstDay; day < firstDay + days * DAY_MS; day += DAY_MS) {
    const minutes = {
      operational: 0,
      under_maintenance: 0,
      degraded_performance: 0,
      partial_outage: 0,
      major_outage: 0,
    };
    for (const interval of intervals) {
      const overlap = Math.min(interval.to, day + DAY_MS, end) - Math.max(interval.from, day);
      if (overlap > 0) minutes[interval.status] += overlap / 60_000;
    }
    const dayMeasured =
      minutes.operational + minutes.degraded_performance + minutes.partial_outage + minutes.major_outage;
    const dayDown = minutes.major_outage + PARTIAL_OUTAGE_WEIGHT * minutes.partial_outage;
    // A status that began at `asOf` has had no time yet, but today's bar must still show it.
    const isToday = end >= day && end < day + DAY_MS;
    const seen = SEVERITY.filter((s) => minutes[s] > 0 || (isToday && s === status && end >= since));
    measured += dayMeasured;
    down += dayDown;
    result.push({
      date: new Date(day).toISOString().slice(0, 10),
      uptime: dayMeasured > 0 ? 1 - dayDown / dayMeasured : null,
      worst: seen.length > 0 ? (seen[seen.length - 1] ?? null) : null,
      majorOutageMinutes: Math.round(minutes.major_outage),
      partialOutageMinutes: Math.round(minutes.partial_outage),
      degradedMinutes: Math.round(minutes.degraded_performance),
      maintenanceMinutes: Math.round(minutes.under_maintenance),
    });
  }
  return { days: result, percent: measured > 0 ? 1 - down / measured : null };
}
