import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import {
  alertDraftAlerts,
  alertDrafts,
  alertRules,
  alerts,
  automatedComponents,
  componentStatusChanges,
  incidents,
  incidentUpdates,
  page,
  templates,
  updateComponents,
} from "../../../db/schema.ts";
import { listComponents } from "../../components/load-components.ts";
import type { ComponentRow, PageRow } from "../../model/rows.ts";
import type { Template } from "../../templates/schemas.ts";
import { templateOf } from "../../templates/template-view.ts";

export type RuleRow = typeof alertRules.$inferSelect;
export type AlertRow = typeof alerts.$inferSelect;
export type AutomatedRow = typeof automatedComponents.$inferSelect;

/** Why the automation may not touch a component: a maintenance in progress, or a person's open incident. */
export type Hold = { componentId: string; kind: "maintenance" | "incident"; incidentId: string; name: string };

/** What an evaluation is planned from, read once (core/alerts/automation/plan.ts is a function of it and `now`). */
export type AutomationState = {
  /** Enabled rules in their order. */
  rules: RuleRow[];
  /** Firing alerts. */
  alerts: AlertRow[];
  components: ComponentRow[];
  automated: AutomatedRow[];
  holds: Hold[];
  /** Per component, when a person last set its status directly (not through an incident, not the automation). */
  personChangedAt: Record<string, string>;
  /** Each rule's waiting draft, with the alerts it already gathered. */
  waitingDrafts: { id: string; ruleId: string; alertIds: string[] }[];
  /** The rules' templates (deleted ones are absent). */
  templates: Template[];
  page: Pick<PageRow, "name" | "timeZone"> | null;
};

export async function loadAutomationState(db: Db): Promise<AutomationState> {
  const [rules, firing, components, automated, holds, drafts, pageRows] = await Promise.all([
    db
      .select()
      .from(alertRules)
      .where(eq(alertRules.enabled, true))
      .orderBy(asc(alertRules.position), asc(alertRules.createdAt)),
    db.select().from(alerts).where(eq(alerts.status, "firing")),
    listComponents(db),
    db.select().from(automatedComponents),
    loadHolds(db),
    db
      .select({ id: alertDrafts.id, ruleId: alertDrafts.ruleId })
      .from(alertDrafts)
      .where(eq(alertDrafts.state, "waiting")),
    db.select({ name: page.name, timeZone: page.timeZone }).from(page).limit(1),
  ]);
  const ruleComponents = [...new Set(rules.flatMap((rule) => rule.componentIds))];
  const templateIds = [...new Set(rules.flatMap((rule) => (rule.templateId ? [rule.templateId] : [])))];
  const draftIds = drafts.map((draft) => draft.id);
  const [personChanges, templateRows, attached] = await Promise.all([
    ruleComponents.length === 0
      ? []
      : db
          .select({
            componentId: componentStatusChanges.componentId,
            at: sql<string>`max(${componentStatusChanges.at})`,
          })
          .from(componentStatusChanges)
          .where(
            and(
              inArray(componentStatusChanges.componentId, ruleComponents),
              isNull(componentStatusChanges.alertId),
              isNull(componentStatusChanges.incidentId),
            ),
          )
          .groupBy(componentStatusChanges.componentId),
    templateIds.length === 0
      ? []
      : db
          .select()
          .from(templates)
          .where(and(inArray(templates.id, templateIds), isNull(templates.deletedAt))),
    draftIds.length === 0 ? [] : db.select().from(alertDraftAlerts).where(inArray(alertDraftAlerts.draftId, draftIds)),
  ]);
  return {
    rules,
    alerts: firing,
    components,
    automated,
    holds,
    personChangedAt: Object.fromEntries(personChanges.map((change) => [change.componentId, change.at])),
    waitingDrafts: drafts.flatMap((draft) =>
      draft.ruleId
        ? [
            {
              id: draft.id,
              ruleId: draft.ruleId,
              alertIds: attached.filter((a) => a.draftId === draft.id).map((a) => a.alertId),
            },
          ]
        : [],
    ),
    templates: templateRows.map(templateOf),
    page: pageRows[0] ?? null,
  };
}

/**
 * Components named by an open incident or by a maintenance in progress. An incident published from an alert
 * draft does not hold what its opening update set as drafted (those statuses were the alerts', and stay the
 * automation's to restore when the alerts resolve); what a person sets in a later update of it does hold.
 */
async function loadHolds(db: Db): Promise<Hold[]> {
  const rows = await db
    .selectDistinct({
      componentId: updateComponents.componentId,
      incidentId: incidents.id,
      kind: incidents.kind,
      name: incidents.name,
    })
    .from(updateComponents)
    .innerJoin(incidents, eq(incidents.id, updateComponents.incidentId))
    .where(
      and(
        isNull(incidents.resolvedAt),
        sql`(${incidents.kind} = 'incident' OR ${incidents.status} IN ('in_progress', 'verifying'))`,
        sql`NOT EXISTS (
          SELECT 1 FROM ${alertDrafts} WHERE ${alertDrafts.incidentId} = ${incidents.id}
            AND ${updateComponents.updateId} = (
              SELECT ${incidentUpdates.id} FROM ${incidentUpdates} WHERE ${incidentUpdates.incidentId} = ${incidents.id}
              ORDER BY ${incidentUpdates.createdAt}, ${incidentUpdates.id} LIMIT 1
            )
        )`,
      ),
    );
  return rows;
}
