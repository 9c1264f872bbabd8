/**
 * The reliability review (docs/review.md): the figures of a period, overall, per component and per commander,
 * and of the period before it, computed from the rows already kept, so editing or backdating an update moves
 * them. A query: the viewer role reads it.
 */
import type { Db } from "../../db/client.ts";
import type { Clock } from "../actions/clock.ts";
import { HeraldError } from "../actions/errors.ts";
import { candidatesOf } from "./candidates.ts";
import { computeFigures, type PeriodRows } from "./figures.ts";
import { type IncidentMetrics, incidentMetrics } from "./incident-metrics.ts";
import { loadReviewData, type ReviewData } from "./load-review-data.ts";
import { previousPeriod } from "./period.ts";
import { type ScopeFilter, scopeOf } from "./scope.ts";
import { toMinutes } from "./stats.ts";
import type {
  CommanderFigures,
  ComponentFigures,
  IncidentRef,
  IncidentRow,
  Review,
  ReviewPeriod,
  ReviewQuery,
} from "./types.ts";
import { statusMsOver, uptimePercent } from "./uptime-minutes.ts";

/** How many incidents each worst list names. */
export const WORST_LISTED = 10;

export async function computeReview(db: Db, query: ReviewQuery, clock: Clock): Promise<Review> {
  const now = clock.now();
  const period: ReviewPeriod = { from: new Date(query.from).toISOString(), to: new Date(query.to).toISOString() };
  if (period.to <= period.from) throw new HeraldError("invalid", "The period must end after it begins.");
  const previous = previousPeriod(period);
  const data = await loadReviewData(db, { current: period, previous }, now);
  const filter = filterOf(data, query);
  const metrics = allMetrics(data, now.getTime());
  const metricsById = new Map(metrics.map((m) => [m.incident.id, m]));
  const current = periodRows(data, metrics, period, "current", now.getTime());
  const before = periodRows(data, metrics, previous, "previous", now.getTime());
  const [currentOf, beforeOf] = [candidatesOf(current), candidatesOf(before)];
  const figuresFor = (narrower: Partial<ScopeFilter>) => {
    const scope = scopeOf(narrowed(filter, narrower), metricsById);
    return { figures: computeFigures(currentOf(narrower), scope), previous: computeFigures(beforeOf(narrower), scope) };
  };
  const overall = figuresFor({});
  const scoped = current.metrics.filter(scopeOf(filter, metricsById).incident);
  return {
    period,
    previous,
    filter: { componentId: query.componentId ?? null, commanderId: query.commanderId ?? null },
    overall: overall.figures,
    previousOverall: overall.previous,
    byComponent: byComponent(data, filter, current, figuresFor),
    byCommander: byCommander(data, scoped, filter, figuresFor),
    worst: worstLists(scoped),
    incidents: scoped.map(incidentRow),
    generatedAt: now.toISOString(),
  };
}

type FiguresFor = (narrower: Partial<ScopeFilter>) => Pick<ComponentFigures, "figures" | "previous">;

function filterOf(data: ReviewData, query: ReviewQuery): ScopeFilter {
  let componentIds: Set<string> | null = null;
  if (query.componentId !== undefined) {
    const component = data.components.find((c) => c.id === query.componentId);
    if (!component) throw new HeraldError("not_found", `No component ${query.componentId}.`);
    componentIds = new Set(
      component.isGroup
        ? [component.id, ...data.components.filter((c) => c.groupId === component.id).map((c) => c.id)]
        : [component.id],
    );
  }
  return { componentIds, commanderId: query.commanderId };
}

/** A breakdown within the request's own filter: a component outside it has nothing. */
function narrowed(filter: ScopeFilter, narrower: Partial<ScopeFilter>): ScopeFilter {
  const componentIds =
    narrower.componentIds === undefined || narrower.componentIds === null
      ? filter.componentIds
      : new Set([...narrower.componentIds].filter((id) => filter.componentIds === null || filter.componentIds.has(id)));
  const commanderId = narrower.commanderId === undefined ? filter.commanderId : narrower.commanderId;
  return { componentIds, commanderId };
}

function allMetrics(data: ReviewData, now: number): IncidentMetrics[] {
  const updates = groupBy(data.updates, (u) => u.incidentId);
  const acks = groupBy(data.acks, (a) => a.incidentId);
  const components = groupBy(data.incidentComponents, (c) => c.incidentId);
  return [...data.incidents]
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.id.localeCompare(b.id))
    .map((incident) =>
      incidentMetrics(
        incident,
        {
          updates: updates.get(incident.id) ?? [],
          acks: acks.get(incident.id) ?? [],
          componentIds: [...new Set((components.get(incident.id) ?? []).map((c) => c.componentId))],
          firstAlertAt: data.firstAlerts.get(incident.id),
        },
        now,
      ),
    );
}

function periodRows(
  data: ReviewData,
  metrics: IncidentMetrics[],
  period: ReviewPeriod,
  which: "current" | "previous",
  now: number,
): PeriodRows {
  const inPeriod = (at: string) => at >= period.from && at < period.to;
  const changesBy = groupBy(data.statusChanges, (c) => c.componentId);
  const componentMs = new Map(
    data.components
      .filter((c) => !c.isGroup)
      .map((c) => {
        const history = {
          windowFrom: data.window.from,
          before: data.statusBefore.get(c.id),
          changes: changesBy.get(c.id) ?? [],
        };
        return [c.id, statusMsOver(c, history, period, now)] as const;
      }),
  );
  return {
    metrics: metrics.filter((m) => inPeriod(m.incident.startedAt)),
    rows: which === "current" ? data.current : data.previous,
    changes: data.statusChanges.filter((c) => inPeriod(c.at)),
    componentMs,
  };
}

function byComponent(
  data: ReviewData,
  filter: ScopeFilter,
  current: PeriodRows,
  figuresFor: FiguresFor,
): ComponentFigures[] {
  return data.components
    .filter((c) => !c.isGroup && (filter.componentIds === null || filter.componentIds.has(c.id)))
    .map((c) => {
      const target = c.uptimeTarget === null ? null : Number(c.uptimeTarget);
      const ms = current.componentMs.get(c.id);
      const percent = ms ? uptimePercent(ms) : null;
      return {
        componentId: c.id,
        name: c.name,
        uptimeTarget: target,
        target:
          target === null || percent === null
            ? null
            : { target, met: percent >= target, byPoints: Math.round(Math.abs(percent - target) * 1000) / 1000 },
        ...figuresFor({ componentIds: new Set([c.id]) }),
      };
    });
}

function byCommander(
  data: ReviewData,
  scoped: IncidentMetrics[],
  filter: ScopeFilter,
  figuresFor: FiguresFor,
): CommanderFigures[] {
  const ids = [...new Set(scoped.map((m) => m.incident.commanderId))];
  if (filter.commanderId !== undefined && !ids.includes(filter.commanderId)) ids.push(filter.commanderId);
  return ids
    .map((commanderId) => ({
      commanderId,
      name: commanderId === null ? "Nobody" : (data.peopleNames.get(commanderId) ?? commanderId),
      ...figuresFor({ commanderId }),
    }))
    .sort((a, b) => b.figures.incidents.count - a.figures.incidents.count || a.name.localeCompare(b.name));
}

function worstLists(scoped: IncidentMetrics[]): Review["worst"] {
  const ref = (m: IncidentMetrics, ms: number, missed?: number): IncidentRef => ({
    incidentId: m.incident.id,
    name: m.incident.name,
    startedAt: m.incident.startedAt,
    minutes: toMinutes(ms),
    ...(missed === undefined ? {} : { missed }),
  });
  const incidents = scoped.filter((m) => m.incident.kind === "incident");
  const byFirstPost = incidents
    .filter((m) => (m.firstPostMs ?? 0) > 0)
    .sort((a, b) => (b.firstPostMs ?? 0) - (a.firstPostMs ?? 0))
    .slice(0, WORST_LISTED)
    .map((m) => ref(m, m.firstPostMs ?? 0));
  const byMissedPromises = scoped
    .map((m) => ({ m, late: m.promises.filter((p) => p.lateMs > 0) }))
    .filter(({ late }) => late.length > 0)
    .map(({ m, late }) => ({ m, late, ms: late.reduce((sum, p) => sum + p.lateMs, 0) }))
    .sort((a, b) => b.ms - a.ms || b.late.length - a.late.length)
    .slice(0, WORST_LISTED)
    .map(({ m, late, ms }) => ref(m, ms, late.length));
  return { byFirstPost, byMissedPromises };
}

function incidentRow(m: IncidentMetrics): IncidentRow {
  const late = m.promises.filter((p) => p.lateMs > 0);
  return {
    incidentId: m.incident.id,
    kind: m.incident.kind,
    name: m.incident.name,
    impact: m.incident.impact,
    startedAt: m.incident.startedAt,
    resolvedAt: m.incident.resolvedAt,
    commanderId: m.incident.commanderId,
    componentIds: m.componentIds,
    firstPostMinutes: m.incident.kind === "incident" && m.firstPostMs !== null ? toMinutes(m.firstPostMs) : null,
    resolveMinutes: m.resolveMs === null ? null : toMinutes(m.resolveMs),
    promisesDue: m.promises.length,
    promisesKept: m.promises.length - late.length,
    minutesLate: toMinutes(late.reduce((sum, p) => sum + p.lateMs, 0)),
    overrunMinutes: m.overrunMs === null ? null : toMinutes(m.overrunMs),
  };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
