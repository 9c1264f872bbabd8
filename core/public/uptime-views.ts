import type { Db } from "../../db/client.ts";
import { COMPONENT_STATUS_LABELS, type ComponentStatus } from "../statuses.ts";
import type { ComponentRow } from "../types.ts";
import { readUptimes } from "../uptime/read-uptime.ts";
import type { UptimeDay } from "../uptime.ts";

export type UptimeLevel = "none" | "ok" | "minor" | "major" | "critical" | "maintenance";

export type UptimeDayView = { date: string; level: UptimeLevel; label: string };
export type UptimeView = { percent: number | null; percentLabel: string; days: UptimeDayView[] };

const LEVEL: Record<ComponentStatus, UptimeLevel> = {
  operational: "ok",
  under_maintenance: "maintenance",
  degraded_performance: "minor",
  partial_outage: "major",
  major_outage: "critical",
};

export function formatPercent(value: number | null): string {
  if (value === null) return "No data";
  const percent = Math.floor(value * 10_000) / 100;
  return `${percent.toFixed(percent === 100 || percent === 0 ? 0 : 2)}%`;
}

function duration(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
}

// One formatter for all labels: `toLocaleDateString` builds a new one per call (~0.1 ms; 900 per index).
const DAY_FORMAT = new Intl.DateTimeFormat("en-US", {
  month: "short",
  day: "numeric",
  year: "numeric",
  timeZone: "UTC",
});

/** Formatted days, kept: every render labels the same 90 days for each component. */
const DAY_NAMES = new Map<string, string>();

function dayName(isoDay: string): string {
  let name = DAY_NAMES.get(isoDay);
  if (name === undefined) {
    if (DAY_NAMES.size >= 1_000) DAY_NAMES.clear();
    name = DAY_FORMAT.format(new Date(`${isoDay}T00:00:00Z`));
    DAY_NAMES.set(isoDay, name);
  }
  return name;
}

/** The text alternative of one day's bar: what the colour says, in words. */
function dayLabel(day: UptimeDay): string {
  const date = dayName(day.date);
  if (day.uptime === null && day.maintenanceMinutes === 0) return `${date}: no data`;
  const parts = [
    day.majorOutageMinutes > 0
      ? `${duration(day.majorOutageMinutes)} ${COMPONENT_STATUS_LABELS.major_outage.toLowerCase()}`
      : "",
    day.partialOutageMinutes > 0
      ? `${duration(day.partialOutageMinutes)} ${COMPONENT_STATUS_LABELS.partial_outage.toLowerCase()}`
      : "",
    day.degradedMinutes > 0
      ? `${duration(day.degradedMinutes)} ${COMPONENT_STATUS_LABELS.degraded_performance.toLowerCase()}`
      : "",
    day.maintenanceMinutes > 0 ? `${duration(day.maintenanceMinutes)} maintenance` : "",
  ].filter(Boolean);
  const uptime = day.uptime === null ? "maintenance only" : `${formatPercent(day.uptime)} uptime`;
  return `${date}: ${uptime}${parts.length > 0 ? `, ${parts.join(", ")}` : ", no incidents"}`;
}

/** 90-day uptime views of the given components, from their daily rollups (a fixed number of rows each). */
export async function loadUptimes(db: Db, components: ComponentRow[], asOf: string): Promise<Map<string, UptimeView>> {
  const uptimes = await readUptimes(db, components, asOf);
  const result = new Map<string, UptimeView>();
  for (const [id, uptime] of uptimes) {
    result.set(id, {
      percent: uptime.percent,
      percentLabel: formatPercent(uptime.percent),
      days: uptime.days.map((day) => ({
        date: day.date,
        level: day.worst ? LEVEL[day.worst] : "none",
        label: dayLabel(day),
      })),
    });
  }
  return result;
}
