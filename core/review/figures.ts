/** A period's figures over the incidents and rows a scope keeps (docs/review.md, "The rules"). */
import { IMPACTS, type UpdateStatus } from "../../db/enums.ts";
import type { StatusMs } from "../uptime/uptime-days.ts";
import type { IncidentMetrics } from "./incident-metrics.ts";
import type { ReviewStatusChange, WindowRows } from "./load-review-data.ts";
import type { Scope } from "./scope.ts";
import { histogram, percentile, roundPercent, toMinutes } from "./stats.ts";
import type { Counted, Distribution, EscalationLevelCount, Figures, LatePromise, StatusTime, Uptime } from "./types.ts";
import { sumStatusMs, uptimePercent } from "./uptime-minutes.ts";

/** The open statuses whose time is measured, in the order they are shown. */
export const MEASURED_STATUSES = ["investigating", "identified", "monitoring", "in_progress", "verifying"] as const;

export type PeriodRows = {
  /** The incidents and maintenances that started in the period, oldest first (not yet scoped). */
  metrics: IncidentMetrics[];
  rows: WindowRows;
  /** The period's component status changes (not yet scoped). */
  changes: ReviewStatusChange[];
  /** Each measured component's time per status in the period. */
  componentMs: ReadonlyMap<string, StatusMs>;
};

export function computeFigures(period: PeriodRows, scope: Scope): Figures {
  const metrics = period.metrics.filter(scope.incident);
  const incidents = metrics.filter((m) => m.incident.kind === "incident");
  const maintenances = metrics.filter((m) => m.incident.kind === "maintenance");
  const overran = maintenances.filter((m) => (m.overrunMs ?? 0) > 0);
  const changes = period.changes.filter(scope.change);
  const automated = changes.filter((c) => c.alertId !== null);
  const alerts = period.rows.alerts.filter(scope.alert);
  const drafts = period.rows.drafts.filter(scope.draft);
  const published = drafts.filter((d) => d.state === "published");
  const escalations = period.rows.escalations.filter(scope.escalation);
  return {
    incidents: {
      ...counted(incidents),
      byImpact: Object.fromEntries(
        IMPACTS.map((impact) => [impact, counted(incidents.filter((m) => m.incident.impact === impact))]),
      ) as Figures["incidents"]["byImpact"],
    },
    maintenances: {
      ...counted(maintenances),
      overran: {
        ...counted(overran),
        minutes: toMinutes(overran.reduce((sum, m) => sum + (m.overrunMs ?? 0), 0)),
        items: overran
          .map((m) => ({ incidentId: m.incident.id, name: m.incident.name, minutes: toMinutes(m.overrunMs ?? 0) }))
          .sort((a, b) => b.minutes - a.minutes),
      },
    },
    firstPost: distribution(incidents, (m) => m.firstPostMs),
    promises: promises(metrics),
    resolve: distribution(incidents, (m) => m.resolveMs),
    timeUnderStatus: timeUnderStatus(metrics),
    uptime: uptime(period, scope),
    alerts: {
      count: alerts.length,
      alertIds: alerts.map((a) => a.id),
      incidentIds: unique(alerts.flatMap((a) => a.incidentIds)),
    },
    drafts: {
      published: {
        count: published.length,
        draftIds: published.map((d) => d.id),
        incidentIds: unique(published.flatMap((d) => (d.incidentId ? [d.incidentId] : []))),
      },
      discarded: {
        count: drafts.length - published.length,
        draftIds: drafts.filter((d) => d.state === "discarded").map((d) => d.id),
      },
    },
    automatedChanges: {
      count: automated.length,
      incidentIds: unique(automated.flatMap((c) => (c.incidentId ? [c.incidentId] : []))),
      componentIds: unique(automated.map((c) => c.componentId)),
    },
    escalations: {
      count: escalations.length,
      incidentIds: unique(escalations.flatMap((e) => (e.incidentId ? [e.incidentId] : []))),
      byLevel: byLevel(escalations),
    },
  };
}

function counted(metrics: IncidentMetrics[]): Counted {
  return { count: metrics.length, incidentIds: metrics.map((m) => m.incident.id) };
}

function distribution(metrics: IncidentMetrics[], measure: (m: IncidentMetrics) => number | null): Distribution {
  const samples = metrics.flatMap((m) => {
    const ms = measure(m);
    return ms === null ? [] : [{ incidentId: m.incident.id, name: m.incident.name, minutes: toMinutes(ms) }];
  });
  const ascending = samples.map((s) => s.minutes).sort((a, b) => a - b);
  const worst = samples.reduce<(typeof samples)[number] | null>(
    (longest, s) => (longest === null || s.minutes > longest.minutes ? s : longest),
    null,
  );
  return {
    count: samples.length,
    median: percentile(ascending, 50),
    p90: percentile(ascending, 90),
    worst,
    histogram: histogram(samples),
    incidentIds: samples.map((s) => s.incidentId),
  };
}

function promises(metrics: IncidentMetrics[]): Figures["promises"] {
  let due = 0;
  let kept = 0;
  const late: LatePromise[] = [];
  const behind = new Set<string>();
  for (const m of metrics) {
    for (const outcome of m.promises) {
      due += 1;
      behind.add(m.incident.id);
      if (outcome.lateMs === 0) kept += 1;
      else
        late.push({
          incidentId: m.incident.id,
          updateId: outcome.updateId,
          promisedBy: outcome.dueAt,
          answeredAt: outcome.answeredAt,
          minutesLate: toMinutes(outcome.lateMs),
        });
    }
  }
  late.sort((a, b) => b.minutesLate - a.minutesLate || a.promisedBy.localeCompare(b.promisedBy));
  return {
    due,
    kept,
    keptPercent: due === 0 ? null : roundPercent((100 * kept) / due),
    late,
    incidentIds: [...behind],
  };
}

function timeUnderStatus(metrics: IncidentMetrics[]): StatusTime[] {
  return MEASURED_STATUSES.map((status: UpdateStatus) => {
    const under = metrics.filter((m) => (m.statusMs.get(status) ?? 0) > 0);
    return {
      status: status as StatusTime["status"],
      minutes: toMinutes(under.reduce((sum, m) => sum + (m.statusMs.get(status) ?? 0), 0)),
      incidentIds: under.map((m) => m.incident.id),
    };
  });
}

function uptime(period: PeriodRows, scope: Scope): Uptime | null {
  if (scope.filter.commanderId !== undefined) return null;
  const ids = scope.filter.componentIds;
  const measured = [...period.componentMs].filter(([id]) => ids === null || ids.has(id)).map(([, ms]) => ms);
  const ms = sumStatusMs(measured);
  const percent = uptimePercent(ms);
  return {
    percent: percent === null ? null : roundPercent(percent),
    minutes: {
      operational: toMinutes(ms.operational),
      under_maintenance: toMinutes(ms.under_maintenance),
      degraded_performance: toMinutes(ms.degraded_performance),
      partial_outage: toMinutes(ms.partial_outage),
      major_outage: toMinutes(ms.major_outage),
    },
    incidentIds: unique(
      period.changes.flatMap((c) => (c.incidentId && (ids === null || ids.has(c.componentId)) ? [c.incidentId] : [])),
    ),
  };
}

function byLevel(escalations: WindowRows["escalations"]): EscalationLevelCount[] {
  const levels = new Map<number, EscalationLevelCount>();
  for (const e of escalations) {
    const level = levels.get(e.level) ?? { level: e.level, count: 0, incidentIds: [] };
    level.count += 1;
    if (e.incidentId && !level.incidentIds.includes(e.incidentId)) level.incidentIds.push(e.incidentId);
    levels.set(e.level, level);
  }
  return [...levels.values()].sort((a, b) => a.level - b.level);
}

function unique(ids: string[]): string[] {
  return [...new Set(ids)];
}
