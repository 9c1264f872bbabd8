import { and, asc, desc, eq, inArray } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import type { DraftState } from "../../../db/enums.ts";
import { alertDraftAlerts, alertDrafts, alertRules, alerts } from "../../../db/schema.ts";
import { notFound } from "../../actions/errors.ts";
import type { DraftAlert, DraftView } from "./schemas.ts";

export type DraftRow = typeof alertDrafts.$inferSelect;

/** The most drafts a list answers (waiting ones are few; the rest is history). */
const LIST_LIMIT = 200;

/** Drafts, newest first (waiting ones first when no state is asked for), each with its alerts and its rule's name. */
export async function readDrafts(db: Db, state?: DraftState): Promise<DraftView[]> {
  const rows = await db
    .select({ draft: alertDrafts, ruleName: alertRules.name })
    .from(alertDrafts)
    .leftJoin(alertRules, eq(alertRules.id, alertDrafts.ruleId))
    .where(state ? eq(alertDrafts.state, state) : undefined)
    .orderBy(desc(eq(alertDrafts.state, "waiting")), desc(alertDrafts.createdAt), asc(alertDrafts.id))
    .limit(LIST_LIMIT);
  const alertsOf = await readDraftAlerts(
    db,
    rows.map((r) => r.draft.id),
  );
  return rows.map(({ draft, ruleName }) => draftView(draft, ruleName, alertsOf.get(draft.id) ?? []));
}

/** One draft with its alerts; 404 when there is none. */
export async function readDraft(db: Db, id: string): Promise<DraftView> {
  const [row] = await db
    .select({ draft: alertDrafts, ruleName: alertRules.name })
    .from(alertDrafts)
    .leftJoin(alertRules, eq(alertRules.id, alertDrafts.ruleId))
    .where(eq(alertDrafts.id, id));
  if (!row) throw notFound(`There is no draft ${id}.`);
  const alertsOf = await readDraftAlerts(db, [id]);
  return draftView(row.draft, row.ruleName, alertsOf.get(id) ?? []);
}

/** The alerts attached to each draft: firing first, then by when they began. */
async function readDraftAlerts(db: Db, draftIds: string[]): Promise<Map<string, DraftAlert[]>> {
  const byDraft = new Map<string, DraftAlert[]>();
  if (draftIds.length === 0) return byDraft;
  const rows = await db
    .select({ draftId: alertDraftAlerts.draftId, alert: alerts })
    .from(alertDraftAlerts)
    .innerJoin(alerts, eq(alerts.id, alertDraftAlerts.alertId))
    .where(and(inArray(alertDraftAlerts.draftId, draftIds)))
    .orderBy(asc(eq(alerts.status, "resolved")), asc(alerts.firingSince), asc(alerts.id));
  for (const { draftId, alert } of rows) {
    const list = byDraft.get(draftId) ?? [];
    list.push({
      id: alert.id,
      source_id: alert.sourceId,
      fingerprint: alert.fingerprint,
      status: alert.status,
      severity: alert.severity,
      summary: alert.summary,
      labels: alert.labels,
      url: alert.url,
      since: alert.status === "firing" ? alert.firingSince : null,
      resolved_at: alert.resolvedAt,
    });
    byDraft.set(draftId, list);
  }
  return byDraft;
}

export function draftView(draft: DraftRow, ruleName: string | null, draftAlerts: DraftAlert[]): DraftView {
  return {
    id: draft.id,
    state: draft.state,
    rule_id: draft.ruleId,
    rule_name: ruleName,
    template_id: draft.templateId,
    name: draft.name,
    status: draft.status,
    body: draft.body,
    impact: draft.impact,
    components: draft.components,
    next_update_in_minutes: draft.nextUpdateInMinutes,
    created_at: draft.createdAt,
    updated_at: draft.updatedAt,
    remind_at: draft.remindAt,
    auto_publish_at: draft.autoPublishAt,
    decided_at: draft.decidedAt,
    decided_by: draft.decidedBy,
    incident_id: draft.incidentId,
    alerts: draftAlerts,
  };
}
