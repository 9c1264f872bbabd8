import { and, eq } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { alertDrafts, alertLog } from "../../../db/schema.ts";
import type { Statement } from "../../changes/commit.ts";
import { failUnlessChanged } from "../../changes/guard.ts";
import { newId } from "../../model/ids.ts";
import type { DraftRow } from "./read-drafts.ts";

export type Decision =
  | { state: "published"; incidentId: string; by: string; automated: boolean }
  | { state: "discarded"; by: string };

/** The words of the 409 when someone else published or discarded the draft first. */
export const ALREADY_DECIDED = "This draft is no longer waiting: someone published or discarded it first.";

/**
 * Ends a waiting draft: its new state, who decided and when, no more reminders; guarded so that of two people
 * (or a person and the auto-publish timer) acting at once only the first commits, and the intake log's line.
 */
export function decideDraftStatements(db: Db, draft: DraftRow, decision: Decision, now: Date): Statement[] {
  const at = now.toISOString();
  const incidentId = decision.state === "published" ? decision.incidentId : null;
  const summary =
    decision.state === "published"
      ? `Draft “${draft.name}” published as an incident ${decision.automated ? "by itself (no one acted)" : `by ${decision.by}`}`
      : `Draft “${draft.name}” discarded by ${decision.by}`;
  return [
    db
      .update(alertDrafts)
      .set({
        state: decision.state,
        decidedAt: at,
        decidedBy: decision.by,
        incidentId,
        remindAt: null,
        autoPublishAt: null,
        updatedAt: at,
      })
      .where(and(eq(alertDrafts.id, draft.id), eq(alertDrafts.state, "waiting"))),
    failUnlessChanged(db),
    db.insert(alertLog).values({
      id: newId(),
      at,
      kind: "draft",
      sourceId: null,
      httpStatus: null,
      summary,
      details: { draft_id: draft.id, rule_id: draft.ruleId, state: decision.state, incident_id: incidentId },
      idempotencyKey: null,
    }),
  ];
}
