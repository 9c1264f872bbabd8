/**
 * The review's figures as one list of lines (label, value, unit, the incidents behind it): what the console's
 * table, the CSV's summary and the weekly mail show, so they cannot disagree.
 */
import { IMPACTS } from "../../db/enums.ts";
import { impactLook } from "../presentation/status.ts";
import type { MEASURED_STATUSES } from "./figures.ts";
import type { Figures } from "./types.ts";

export type SummaryUnit = "count" | "minutes" | "percent";

export type SummaryLine = {
  key: string;
  label: string;
  value: number | null;
  unit: SummaryUnit;
  /** Which way is better, for the trend's words; null: neither. */
  better: "lower" | "higher" | null;
  incidentIds: string[];
};

const STATUS_LABELS: Record<(typeof MEASURED_STATUSES)[number], string> = {
  investigating: "Time investigating",
  identified: "Time identified, not yet fixed",
  monitoring: "Time monitoring a fix",
  in_progress: "Time maintenance in progress",
  verifying: "Time verifying maintenance",
};

export function summaryLines(f: Figures): SummaryLine[] {
  const line = (
    key: string,
    label: string,
    value: number | null,
    unit: SummaryUnit,
    better: SummaryLine["better"],
    incidentIds: string[],
  ): SummaryLine => ({ key, label, value, unit, better, incidentIds });
  const lines: SummaryLine[] = [
    line("incidents", "Incidents", f.incidents.count, "count", "lower", f.incidents.incidentIds),
    ...IMPACTS.filter((i) => i !== "maintenance").map((impact) =>
      line(
        `incidents.${impact}`,
        `Incidents: ${impactLook(impact).label.toLowerCase()}`,
        f.incidents.byImpact[impact].count,
        "count",
        "lower",
        f.incidents.byImpact[impact].incidentIds,
      ),
    ),
    line(
      "first_post.median",
      "Time to first post, median",
      f.firstPost.median,
      "minutes",
      "lower",
      f.firstPost.incidentIds,
    ),
    line("first_post.p90", "Time to first post, p90", f.firstPost.p90, "minutes", "lower", f.firstPost.incidentIds),
    line(
      "first_post.worst",
      "Time to first post, worst",
      f.firstPost.worst?.minutes ?? null,
      "minutes",
      "lower",
      f.firstPost.worst ? [f.firstPost.worst.incidentId] : [],
    ),
    line("promises.due", "Promised updates due", f.promises.due, "count", null, f.promises.incidentIds),
    line("promises.kept", "Promised updates kept", f.promises.kept, "count", "higher", f.promises.incidentIds),
    line("promises.kept_percent", "Promises kept", f.promises.keptPercent, "percent", "higher", f.promises.incidentIds),
    line("promises.late", "Promised updates late", f.promises.late.length, "count", "lower", [
      ...new Set(f.promises.late.map((l) => l.incidentId)),
    ]),
    line("resolve.median", "Time to resolve, median", f.resolve.median, "minutes", "lower", f.resolve.incidentIds),
    line("resolve.p90", "Time to resolve, p90", f.resolve.p90, "minutes", "lower", f.resolve.incidentIds),
    ...f.timeUnderStatus.map((s) =>
      line(
        `status.${s.status}`,
        STATUS_LABELS[s.status as keyof typeof STATUS_LABELS] ?? s.status,
        s.minutes,
        "minutes",
        "lower",
        s.incidentIds,
      ),
    ),
    line("maintenances", "Maintenances", f.maintenances.count, "count", null, f.maintenances.incidentIds),
    line(
      "maintenances.overran",
      "Maintenances that overran",
      f.maintenances.overran.count,
      "count",
      "lower",
      f.maintenances.overran.incidentIds,
    ),
    line(
      "maintenances.overrun_minutes",
      "Overrun, total",
      f.maintenances.overran.minutes,
      "minutes",
      "lower",
      f.maintenances.overran.incidentIds,
    ),
    ...(f.uptime
      ? [
          line("uptime.percent", "Uptime", f.uptime.percent, "percent", "higher", f.uptime.incidentIds),
          line(
            "uptime.major_outage",
            "Minutes of major outage",
            f.uptime.minutes.major_outage,
            "minutes",
            "lower",
            f.uptime.incidentIds,
          ),
          line(
            "uptime.partial_outage",
            "Minutes of partial outage",
            f.uptime.minutes.partial_outage,
            "minutes",
            "lower",
            f.uptime.incidentIds,
          ),
          line(
            "uptime.degraded_performance",
            "Minutes of degraded performance",
            f.uptime.minutes.degraded_performance,
            "minutes",
            "lower",
            f.uptime.incidentIds,
          ),
          line(
            "uptime.under_maintenance",
            "Minutes under maintenance",
            f.uptime.minutes.under_maintenance,
            "minutes",
            null,
            f.uptime.incidentIds,
          ),
        ]
      : []),
    line("alerts", "Alerts received", f.alerts.count, "count", null, f.alerts.incidentIds),
    line(
      "drafts.published",
      "Drafts published",
      f.drafts.published.count,
      "count",
      null,
      f.drafts.published.incidentIds,
    ),
    line("drafts.discarded", "Drafts discarded", f.drafts.discarded.count, "count", null, []),
    line(
      "automated_changes",
      "Automated component changes",
      f.automatedChanges.count,
      "count",
      null,
      f.automatedChanges.incidentIds,
    ),
    line("escalations", "Escalations", f.escalations.count, "count", "lower", f.escalations.incidentIds),
    ...f.escalations.byLevel.map((l) =>
      line(
        `escalations.level_${l.level}`,
        l.level === 0 ? "Escalations that reached the commander only" : `Escalations that reached level ${l.level}`,
        l.count,
        "count",
        "lower",
        l.incidentIds,
      ),
    ),
  ];
  return lines;
}

/** This period's lines beside the previous period's (matched by key; a line only one period has gets null). */
export function summaryWithTrend(current: Figures, previous: Figures): (SummaryLine & { previous: number | null })[] {
  const before = new Map(summaryLines(previous).map((l) => [l.key, l.value]));
  return summaryLines(current).map((l) => ({ ...l, previous: before.get(l.key) ?? null }));
}
