import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { alertDraftAlerts, alertDrafts, alertLog, automatedComponents, components } from "../../../db/schema.ts";
import type { Change, Statement } from "../../changes/commit.ts";
import { failUnlessChanged, STALE_PLAN } from "../../changes/guard.ts";
import { jobInsert, outboxJob } from "../../changes/outbox.ts";
import { withGroups } from "../../changes/touched.ts";
import { newId } from "../../model/ids.ts";
import type { ComponentStatus } from "../../model/statuses.ts";
import { componentLook } from "../../presentation/status.ts";
import { statusChangeStatements } from "../../uptime/record-status-change.ts";
import type { DraftDecision } from "./draft-plan.ts";
import type { EvaluationPlan } from "./plan.ts";
import { EVALUATION_ROW } from "./request.ts";
import type { AutomatedRow, AutomationState } from "./state.ts";

/** An evaluation's writes: the audited changes, and the bookkeeping that needs no audit row (log lines, counters). */
export type EvaluationWrites = { changes: Change[]; statements: Statement[] };

/**
 * The statements of a plan. Every write is guarded on what the plan was made from (the component's status,
 * the hold's start), so a second evaluator that planned the same move fails its batch and plans again.
 */
export function evaluationWrites(
  db: Db,
  state: AutomationState,
  plan: EvaluationPlan,
  requested: number,
  now: Date,
): EvaluationWrites {
  const at = now.toISOString();
  const names = new Map(state.components.map((c) => [c.id, c.name]));
  const name = (id: string) => names.get(id) ?? id;
  const log = (
    kind: "moved" | "restored" | "skipped" | "draft",
    summary: string,
    details: Record<string, unknown>,
    id = newId(),
  ) => db.insert(alertLog).values({ id, at, kind, summary, details }).onConflictDoNothing();
  const changes: Change[] = [];
  const statements: Statement[] = [
    db.run(sql`UPDATE alert_evaluation SET evaluated = max(evaluated, ${requested}) WHERE id = ${EVALUATION_ROW}`),
    // This evaluation is the one every due request asked for (the tick runs it where no runner does); a leased job runs anyway.
    db.run(
      sql`DELETE FROM jobs WHERE kind = 'evaluate_alerts' AND state = 'pending' AND lease_owner IS NULL AND run_at <= ${at}`,
    ),
  ];
  const touched = (id: string) => ({ components: withGroups(state.components, [id]) });
  for (const decision of plan.components) {
    const id = decision.componentId;
    switch (decision.kind) {
      case "move": {
        const hold = decision.existing
          ? updateHold(db, decision.existing, {
              status: decision.to,
              alertIds: decision.alertIds,
              ruleIds: decision.ruleIds,
            })
          : [
              db
                .insert(automatedComponents)
                .values({
                  componentId: id,
                  status: decision.to,
                  restoreStatus: decision.restoreStatus,
                  alertIds: decision.alertIds,
                  ruleIds: decision.ruleIds,
                  since: at,
                })
                .onConflictDoNothing(),
              failUnlessChanged(db),
            ];
        changes.push({
          statements: [
            ...(decision.released ? endHold(db, decision.released) : []),
            ...moveComponent(db, id, decision.from, decision.to, at, decision.alertId),
            ...hold,
            log("moved", `${name(id)} → ${label(decision.to)}`, {
              component_id: id,
              from: decision.from,
              to: decision.to,
              alert_ids: decision.alertIds,
              rule_ids: decision.ruleIds,
            }),
          ],
          audit: audit(id, {
            from: decision.from,
            to: decision.to,
            alert_id: decision.alertId,
            alert_ids: decision.alertIds,
            rule_ids: decision.ruleIds,
          }),
          jobs: [],
          touched: touched(id),
        });
        break;
      }
      case "restore": {
        const moved = decision.from !== decision.to;
        changes.push({
          statements: [
            ...endHold(db, decision.existing),
            ...(moved
              ? moveComponent(db, id, decision.from, decision.to, at, decision.existing.alertIds[0] ?? null)
              : []),
            log("restored", `${name(id)} → ${label(decision.to)}: every alert holding it resolved`, {
              component_id: id,
              from: decision.from,
              to: decision.to,
            }),
          ],
          audit: audit(id, { from: decision.from, to: decision.to, restored: true }),
          jobs: [],
          touched: moved ? touched(id) : undefined,
        });
        break;
      }
      case "release":
        changes.push({
          statements: [
            ...endHold(db, decision.existing),
            log("skipped", `${name(id)}: a person changed it, the automation lets go`, {
              component_id: id,
              reason: "person",
              status: decision.status,
            }),
          ],
          audit: {
            action: "component.automation_ended",
            targetType: "component",
            targetId: id,
            details: { reason: "person", status: decision.status },
          },
          jobs: [],
        });
        break;
      case "regroup":
        statements.push(
          ...updateHold(db, decision.existing, {
            status: decision.existing.status,
            alertIds: decision.alertIds,
            ruleIds: decision.ruleIds,
          }),
        );
        break;
      case "skip": {
        const why =
          decision.reason === "maintenance"
            ? "under maintenance"
            : `named by the open incident "${decision.hold?.name ?? ""}"`;
        // One line per component, reason and alert episode, however often the alerts are evaluated again.
        const lineId = `skip-${id}-${decision.reason}-${decision.hold?.incidentId ?? "none"}-${new Date(decision.since).getTime().toString(36)}`;
        statements.push(
          log(
            "skipped",
            `${name(id)} not moved to ${label(decision.desired)}: ${why}`,
            {
              component_id: id,
              reason: decision.reason,
              incident_id: decision.hold?.incidentId ?? null,
              desired: decision.desired,
            },
            lineId,
          ),
        );
        break;
      }
    }
  }
  for (const draft of plan.drafts) {
    const written = draftWrites(db, draft, at, log);
    if (written.change) changes.push(written.change);
    statements.push(...written.statements);
  }
  const jobs = plan.nextDueAt
    ? [outboxJob("evaluate_alerts", {}, { key: `at:${plan.nextDueAt}`, runAt: plan.nextDueAt })]
    : [];
  if (jobs.length > 0 && changes[0]) changes[0].jobs.push(...jobs);
  else if (jobs[0]) statements.push(jobInsert(db, jobs[0], at));
  return { changes, statements };
}

function label(status: ComponentStatus): string {
  return componentLook(status).label.toLowerCase();
}

function audit(componentId: string, details: Record<string, unknown>) {
  return { action: "component.automated_status", targetType: "component", targetId: componentId, details };
}

function moveComponent(
  db: Db,
  id: string,
  from: ComponentStatus,
  to: ComponentStatus,
  at: string,
  alertId: string | null,
): Statement[] {
  return [
    db
      .update(components)
      .set({ status: to, updatedAt: at })
      .where(and(eq(components.id, id), eq(components.status, from))),
    failUnlessChanged(db),
    ...statusChangeStatements(db, { componentId: id, oldStatus: from, newStatus: to, at, alertId }),
  ];
}

function endHold(db: Db, row: AutomatedRow): Statement[] {
  return [
    db
      .delete(automatedComponents)
      .where(and(eq(automatedComponents.componentId, row.componentId), eq(automatedComponents.since, row.since))),
    failUnlessChanged(db),
  ];
}

function updateHold(
  db: Db,
  row: AutomatedRow,
  next: { status: ComponentStatus; alertIds: string[]; ruleIds: string[] },
): Statement[] {
  return [
    db
      .update(automatedComponents)
      .set(next)
      .where(
        and(
          eq(automatedComponents.componentId, row.componentId),
          eq(automatedComponents.since, row.since),
          eq(automatedComponents.status, row.status),
        ),
      ),
    failUnlessChanged(db),
  ];
}

type Log = (kind: "draft", summary: string, details: Record<string, unknown>) => Statement;

function draftWrites(
  db: Db,
  draft: DraftDecision,
  at: string,
  log: Log,
): { change: Change | null; statements: Statement[] } {
  const attach = draft.attach.map((alertId) =>
    db.insert(alertDraftAlerts).values({ draftId: draft.draftId, alertId }).onConflictDoNothing(),
  );
  const { create } = draft;
  if (!create) return { change: null, statements: attach };
  return {
    change: {
      statements: [
        // Two evaluators drafting for the same rule: the second one's batch fails here and it plans again.
        db.run(
          sql`SELECT CASE WHEN EXISTS (SELECT 1 FROM alert_drafts WHERE rule_id = ${create.ruleId} AND state = 'waiting') THEN json(${STALE_PLAN}) END`,
        ),
        db.insert(alertDrafts).values({ ...create, createdAt: at, updatedAt: at }),
        ...attach,
        log("draft", `Drafted "${create.name}" from ${draft.attach.length} alert(s)`, {
          draft_id: create.id,
          rule_id: create.ruleId,
          alert_ids: draft.attach,
        }),
      ],
      audit: {
        action: "alert.draft_created",
        targetType: "alert_draft",
        targetId: create.id,
        details: { rule_id: create.ruleId, name: create.name, alert_ids: draft.attach },
      },
      jobs: [],
    },
    statements: [],
  };
}
