/**
 * Everything a review reads, for a window (the period and the one before it): the incidents that started in
 * it with their updates, components, acknowledgements and first alerts, the component status history, and the
 * alerts, drafts and escalations of the window. Read once; every figure is computed from these rows.
 */
import { and, eq, gte, lt, max, min, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import type { ComponentStatus, Impact, IncidentKind, UpdateStatus } from "../../db/enums.ts";
import {
  alertDraftAlerts,
  alertDrafts,
  alerts,
  auditLog,
  componentStatusChanges,
  components,
  incidents,
  incidentUpdates,
  people,
  updateComponents,
} from "../../db/schema.ts";
import { trackedSince } from "../uptime/read-uptime.ts";
import { selectAsJson } from "./json-select.ts";
import { loadWindowRows, type ReviewStatusChange, type WindowRows } from "./load-window-rows.ts";

export type { ReviewAlert, ReviewDraft, ReviewEscalation, ReviewStatusChange, WindowRows } from "./load-window-rows.ts";

import type { ReviewPeriod } from "./types.ts";

export type ReviewIncident = {
  id: string;
  kind: IncidentKind;
  name: string;
  impact: Impact;
  startedAt: string;
  resolvedAt: string | null;
  scheduledUntil: string | null;
  cancelledAt: string | null;
  commanderId: string | null;
};

export type ReviewUpdate = {
  incidentId: string;
  id: string;
  status: UpdateStatus;
  displayAt: string;
  nextUpdateInMinutes: number | null;
};

/** "Acknowledged, posting in N minutes" (docs/team.md): the promise it set, from the audit line. */
export type ReviewAck = { incidentId: string; at: string; dueAt: string };

export type ReviewComponent = {
  id: string;
  name: string;
  isGroup: boolean;
  groupId: string | null;
  uptimeTarget: string | null;
  trackedSince: string;
  status: ComponentStatus;
};

export type ReviewData = {
  /** The previous period's start to the current period's end. */
  window: ReviewPeriod;
  incidents: ReviewIncident[];
  updates: ReviewUpdate[];
  acks: ReviewAck[];
  incidentComponents: { incidentId: string; componentId: string }[];
  /** The earliest alert behind each incident published from a draft. */
  firstAlerts: Map<string, string>;
  components: ReviewComponent[];
  /** Each component's last status before the window, when it changed before it. */
  statusBefore: Map<string, ComponentStatus>;
  /** The status changes in the window, oldest first. */
  statusChanges: ReviewStatusChange[];
  /** Alerts received, drafts decided and escalations due, split by period. */
  current: WindowRows;
  previous: WindowRows;
  peopleNames: Map<string, string>;
};

const incidentFields = {
  id: incidents.id,
  kind: incidents.kind,
  name: incidents.name,
  impact: incidents.impact,
  startedAt: incidents.startedAt,
  resolvedAt: incidents.resolvedAt,
  scheduledUntil: incidents.scheduledUntil,
  cancelledAt: incidents.cancelledAt,
  commanderId: incidents.commanderId,
};
const updateFields = {
  incidentId: incidentUpdates.incidentId,
  id: incidentUpdates.id,
  status: incidentUpdates.status,
  displayAt: incidentUpdates.displayAt,
  nextUpdateInMinutes: incidentUpdates.nextUpdateInMinutes,
};
const namedFields = { incidentId: updateComponents.incidentId, componentId: updateComponents.componentId };
const changeFields = {
  id: componentStatusChanges.id,
  componentId: componentStatusChanges.componentId,
  oldStatus: componentStatusChanges.oldStatus,
  newStatus: componentStatusChanges.newStatus,
  at: componentStatusChanges.at,
  incidentId: componentStatusChanges.incidentId,
  alertId: componentStatusChanges.alertId,
};

/** The history's queries for a window (the bench explains their plans). */
export function historyQueries(db: Db, window: ReviewPeriod) {
  const started = and(gte(incidents.startedAt, window.from), lt(incidents.startedAt, window.to));
  return {
    incidents: db.select(incidentFields).from(incidents).where(started),
    updates: db
      .select(updateFields)
      .from(incidentUpdates)
      .innerJoin(incidents, eq(incidents.id, incidentUpdates.incidentId))
      .where(started),
    acks: db
      .select({ incidentId: auditLog.targetId, at: auditLog.at, details: auditLog.details })
      .from(auditLog)
      .where(and(eq(auditLog.action, "incident.acknowledge"), gte(auditLog.at, window.from))),
    incidentComponents: db
      .selectDistinct(namedFields)
      .from(updateComponents)
      .innerJoin(incidents, eq(incidents.id, updateComponents.incidentId))
      .where(started),
    firstAlerts: db
      .select({
        incidentId: incidents.id,
        at: min(sql<string>`coalesce(${alerts.firingSince}, ${alerts.firstReceivedAt})`),
      })
      .from(alertDrafts)
      .innerJoin(incidents, eq(incidents.id, alertDrafts.incidentId))
      .innerJoin(alertDraftAlerts, eq(alertDraftAlerts.draftId, alertDrafts.id))
      .innerJoin(alerts, eq(alerts.id, alertDraftAlerts.alertId))
      .where(started)
      .groupBy(incidents.id),
    components: db.select().from(components),
    statusBefore: // SQLite's bare columns: with max(at), new_status is that latest row's.
      db
        .select({
          componentId: componentStatusChanges.componentId,
          status: componentStatusChanges.newStatus,
          at: max(componentStatusChanges.at),
        })
        .from(componentStatusChanges)
        .where(lt(componentStatusChanges.at, window.from))
        .groupBy(componentStatusChanges.componentId),
    statusChanges: db
      .select(changeFields)
      .from(componentStatusChanges)
      .where(and(gte(componentStatusChanges.at, window.from), lt(componentStatusChanges.at, window.to))),
    people: db.select({ id: people.id, name: people.name }).from(people),
  };
}

export async function loadReviewData(
  db: Db,
  periods: { current: ReviewPeriod; previous: ReviewPeriod },
  now: Date,
): Promise<ReviewData> {
  const window = { from: periods.previous.from, to: periods.current.to };
  const q = historyQueries(db, window);
  const [incidentRows, updates, ackRows, incidentComponents, firstAlertRows, componentRows, before, changes, people_] =
    await Promise.all([
      selectAsJson(db, q.incidents, incidentFields),
      selectAsJson(db, q.updates, updateFields),
      q.acks,
      selectAsJson(db, q.incidentComponents, namedFields),
      q.firstAlerts,
      q.components,
      q.statusBefore,
      selectAsJson(db, q.statusChanges, changeFields).then((rows) => rows.sort(oldestFirst)),
      q.people,
    ]);
  const [current, previous] = await Promise.all([
    loadWindowRows(db, periods.current, changes),
    loadWindowRows(db, periods.previous, changes),
  ]);
  const incidentIds = new Set(incidentRows.map((i) => i.id));
  return {
    window,
    incidents: incidentRows,
    updates,
    acks: ackRows.flatMap((a) => {
      const dueAt = a.details.next_update_due_at;
      return incidentIds.has(a.incidentId) && typeof dueAt === "string" && a.at <= now.toISOString()
        ? [{ incidentId: a.incidentId, at: a.at, dueAt }]
        : [];
    }),
    incidentComponents,
    firstAlerts: new Map(firstAlertRows.flatMap((r) => (r.at ? [[r.incidentId, r.at] as const] : []))),
    components: componentRows.map((c) => ({
      id: c.id,
      name: c.name,
      isGroup: c.isGroup,
      groupId: c.groupId,
      uptimeTarget: c.uptimeTarget,
      trackedSince: trackedSince(c),
      status: c.status,
    })),
    statusBefore: new Map(before.map((b) => [b.componentId, b.status])),
    statusChanges: changes,
    current,
    previous,
    peopleNames: new Map(people_.map((p) => [p.id, p.name])),
  };
}

function oldestFirst(a: ReviewStatusChange, b: ReviewStatusChange): number {
  return a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
