import type { Db } from "../../db/client.ts";
import type { ComponentRow } from "../model/rows.ts";
import { componentLook, type Tone } from "../presentation/status.ts";
import { formatDay, formatMinutes } from "../presentation/time.ts";
import { readUptimes } from "../uptime/read-uptime.ts";
import type { UptimeDay } from "../uptime/uptime-days.ts";

/** A day's bar: the tone of its worst status, or "none" before tracking began. */
export type UptimeLevel = Tone | "none";

export type UptimeDayView = {
  date: string;
  level: UptimeLevel;
  label: string;
  /** On a component's page: the incidents and maintenances open that day, as named in the label. */
  incidents?: string[];
};
export type UptimeView = {
  percent: number | null;
  percentLabel: string;
  /** "Nov 26, 2026" when tracking began inside the window (the percentage covers only that); else null. */
  since: string | null;
  days: UptimeDayView[];
};

export function formatPercent(value: number | null): string {
  if (value === null) return "No data";
  const percent = Math.floor(value * 10_000) / 100;
  return `${percent.toFixed(percent === 100 || percent === 0 ? 0 : 2)}%`;
}

const lower = (status: Parameters<typeof componentLook>[0]) => componentLook(status).label.toLowerCase();

/** The text alternative of one day's bar: what the colour says, in words. It speaks of statuses, not incidents. */
function dayLabel(day: UptimeDay): string {
  const date = formatDay(day.date);
  if (day.uptime === null && day.maintenanceMinutes === 0) return `${date}: no data`;
  const parts = [
    day.majorOutageMinutes > 0 ? `${formatMinutes(day.majorOutageMinutes)} ${lower("major_outage")}` : "",
    day.partialOutageMinutes > 0 ? `${formatMinutes(day.partialOutageMinutes)} ${lower("partial_outage")}` : "",
    day.degradedMinutes > 0 ? `${formatMinutes(day.degradedMinutes)} ${lower("degraded_performance")}` : "",
    day.maintenanceMinutes > 0 ? `${formatMinutes(day.maintenanceMinutes)} maintenance` : "",
  ].filter(Boolean);
  const uptime = day.uptime === null ? "maintenance only" : `${formatPercent(day.uptime)} uptime`;
  // A status that began at the very moment of the page has no minutes yet, but its colour already shows.
  const now = day.worst && day.worst !== "operational" ? lower(day.worst) : "no outages";
  return `${date}: ${uptime}, ${parts.length > 0 ? parts.join(", ") : now}`;
}

/** 90-day uptime views of the given components, from their daily rollups (a fixed number of rows each). */
export async function loadUptimes(db: Db, components: ComponentRow[], asOf: string): Promise<Map<string, UptimeView>> {
  const uptimes = await readUptimes(db, components, asOf);
  const result = new Map<string, UptimeView>();
  for (const [id, uptime] of uptimes) {
    result.set(id, {
      percent: uptime.percent,
      percentLabel: formatPercent(uptime.percent),
      since: uptime.since === null ? null : formatDay(uptime.since),
      days: uptime.days.map((day) => ({
        date: day.date,
        level: day.worst ? componentLook(day.worst).tone : "none",
        label: dayLabel(day),
      })),
    });
  }
  return result;
}

/**
 * The days with the incidents that were open on them named in their labels ("…; incident: Slow queries"),
 * for a component's own page: a day its incident was open never reads as a quiet day.
 */
export function withIncidents(
  uptime: UptimeView,
  incidents: {
    name: string;
    kind: "incident" | "maintenance";
    status: string;
    startedAt: string;
    resolvedAt: string | null;
  }[],
  asOf: string,
): UptimeView {
  // A maintenance still scheduled has not begun, whatever the clock says: its start is a status change,
  // which re-renders this page (time passing alone does not).
  const begun = incidents.filter((i) => i.status !== "scheduled");
  const days = uptime.days.map((day) => {
    const start = `${day.date}T00:00:00.000Z`;
    const end = `${day.date}T23:59:59.999Z`;
    const open = begun.filter((i) => i.startedAt <= end && (i.resolvedAt ?? asOf) >= start);
    if (open.length === 0) return day;
    const names = open.map((i) => `${i.kind === "maintenance" ? "maintenance" : "incident"}: ${i.name}`);
    return { ...day, label: `${day.label}; ${names.join("; ")}`, incidents: open.map((i) => i.name) };
  });
  return { ...uptime, days };
}
