/** The alerts, drafts and escalations of one period, with the incidents and components each led to or named. */
import { type AnyColumn, and, eq, gte, inArray, isNotNull, lt, or } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import type { ComponentStatus, DraftState } from "../../db/enums.ts";
import { alertDraftAlerts, alertDrafts, alerts, escalations } from "../../db/schema.ts";
import type { ReviewPeriod } from "./types.ts";

export type ReviewStatusChange = {
  id: string;
  componentId: string;
  oldStatus: ComponentStatus;
  newStatus: ComponentStatus;
  at: string;
  incidentId: string | null;
  alertId: string | null;
};

export type ReviewAlert = { id: string; incidentIds: string[]; componentIds: string[] };
export type ReviewDraft = {
  id: string;
  state: DraftState;
  incidentId: string | null;
  componentIds: string[];
};
export type ReviewEscalation = { level: number; incidentId: string | null; draftId: string | null; dueAt: string };

export type WindowRows = { alerts: ReviewAlert[]; drafts: ReviewDraft[]; escalations: ReviewEscalation[] };

/** The alerts first seen, the drafts decided and the escalations due in one period. */
export async function loadWindowRows(db: Db, period: ReviewPeriod, changes: ReviewStatusChange[]): Promise<WindowRows> {
  const inPeriod = (column: AnyColumn) => and(gte(column, period.from), lt(column, period.to));
  const [alertRows, alertLinks, draftRows, escalationRows] = await Promise.all([
    db
      .select({ id: alerts.id })
      .from(alerts)
      .where(or(inPeriod(alerts.firstReceivedAt), inPeriod(alerts.firingSince))),
    db
      .select({
        alertId: alertDraftAlerts.alertId,
        incidentId: alertDrafts.incidentId,
        components: alertDrafts.components,
      })
      .from(alertDraftAlerts)
      .innerJoin(alertDrafts, eq(alertDrafts.id, alertDraftAlerts.draftId))
      .innerJoin(alerts, eq(alerts.id, alertDraftAlerts.alertId))
      .where(or(inPeriod(alerts.firstReceivedAt), inPeriod(alerts.firingSince))),
    db
      .select({
        id: alertDrafts.id,
        state: alertDrafts.state,
        incidentId: alertDrafts.incidentId,
        components: alertDrafts.components,
      })
      .from(alertDrafts)
      .where(and(inArray(alertDrafts.state, ["published", "discarded"]), inPeriod(alertDrafts.decidedAt))),
    db
      .select({
        level: escalations.level,
        subjectType: escalations.subjectType,
        subjectId: escalations.subjectId,
        dueAt: escalations.dueAt,
        draftIncidentId: alertDrafts.incidentId,
      })
      .from(escalations)
      .leftJoin(
        alertDrafts,
        and(eq(escalations.subjectType, "draft"), eq(alertDrafts.id, escalations.subjectId), isNotNull(alertDrafts.id)),
      )
      .where(inPeriod(escalations.dueAt)),
  ]);
  const links = new Map<string, { incidentIds: Set<string>; componentIds: Set<string> }>();
  const linkOf = (alertId: string) => {
    let link = links.get(alertId);
    if (!link) {
      link = { incidentIds: new Set(), componentIds: new Set() };
      links.set(alertId, link);
    }
    return link;
  };
  for (const l of alertLinks) {
    const link = linkOf(l.alertId);
    if (l.incidentId) link.incidentIds.add(l.incidentId);
    for (const id of Object.keys(l.components)) link.componentIds.add(id);
  }
  for (const change of changes) if (change.alertId) linkOf(change.alertId).componentIds.add(change.componentId);
  return {
    alerts: alertRows.map((a) => ({
      id: a.id,
      incidentIds: [...(links.get(a.id)?.incidentIds ?? [])],
      componentIds: [...(links.get(a.id)?.componentIds ?? [])],
    })),
    drafts: draftRows.map((d) => ({
      id: d.id,
      state: d.state,
      incidentId: d.incidentId,
      componentIds: Object.keys(d.components),
    })),
    escalations: escalationRows.map((e) => ({
      level: e.level,
      incidentId: e.subjectType === "incident" ? e.subjectId : e.draftIncidentId,
      draftId: e.subjectType === "draft" ? e.subjectId : null,
      dueAt: e.dueAt,
    })),
  };
}
