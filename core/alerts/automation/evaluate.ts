import { and, eq, lte, sql } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { alertEvaluation, jobs } from "../../../db/schema.ts";
import type { ActionContext } from "../../actions/context.ts";
import { commitChanges } from "../../changes/commit.ts";
import { isStalePlan } from "../../changes/guard.ts";
import { jobInsert, outboxJob } from "../../changes/outbox.ts";
import { AUTOMATION_ACTOR } from "./actor.ts";
import { type EvaluationWrites, evaluationWrites } from "./changes.ts";
import { planEvaluation } from "./plan.ts";
import { EVALUATION_ROW } from "./request.ts";
import { loadAutomationState } from "./state.ts";

/** What an evaluation did (component ids, draft ids), for logs and tests. */
export type EvaluationResult = {
  moved: string[];
  restored: string[];
  released: string[];
  skipped: string[];
  drafts: string[];
};

/**
 * How long after an evaluation the next one runs when alerts arrived while it ran. Under a storm the evaluations
 * then come at most about four a second, each covering everything received meanwhile, instead of back to back
 * (each loads and matches every firing alert: measured, back-to-back rounds starved the intake of its thread).
 */
export const FOLLOW_UP_MS = 250;
/** Re-plans after another evaluator committed first, per round. */
const MAX_STALE = 5;

/**
 * Evaluates the firing alerts against the rules (flow 2 in docs/alerts.md): read the request count, load,
 * plan (pure), commit in one batch marked evaluated up to that count. Alerts that arrived meanwhile (their
 * request found this evaluation's job key taken) get a follow-up job `FOLLOW_UP_MS` later.
 * Two evaluators at once (two runners, a runner and the tick) commit each change once: the writes are
 * guarded on what the plan was made from, and the loser plans again from fresh state.
 */
export async function evaluateAlerts(ctx: ActionContext): Promise<EvaluationResult> {
  const automation: ActionContext = { ...ctx, actor: AUTOMATION_ACTOR };
  const result: EvaluationResult = { moved: [], restored: [], released: [], skipped: [], drafts: [] };
  const requested = await evaluateOnce(automation, result);
  const counter = await readCounter(ctx.db);
  if (counter.requested > requested) {
    const now = ctx.clock.now();
    const runAt = new Date(now.getTime() + FOLLOW_UP_MS).toISOString();
    const followUp = outboxJob("evaluate_alerts", {}, { key: String(counter.evaluated), runAt });
    await ctx.db.batch([jobInsert(ctx.db, followUp, now.toISOString())]);
  }
  return result;
}

async function evaluateOnce(ctx: ActionContext, result: EvaluationResult): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const now = ctx.clock.now();
    const { requested } = await readCounter(ctx.db);
    const state = await loadAutomationState(ctx.db);
    const plan = planEvaluation(state, now);
    try {
      await commitEvaluation(
        { ...ctx, clock: { now: () => now } },
        evaluationWrites(ctx.db, state, plan, requested, now),
      );
    } catch (error) {
      if (!isStalePlan(error) || attempt >= MAX_STALE) throw error;
      continue;
    }
    for (const decision of plan.components) {
      if (decision.kind === "move") result.moved.push(decision.componentId);
      if (decision.kind === "restore") result.restored.push(decision.componentId);
      if (decision.kind === "release") result.released.push(decision.componentId);
      if (decision.kind === "skip") result.skipped.push(decision.componentId);
    }
    result.drafts.push(...plan.drafts.flatMap((draft) => (draft.create ? [draft.draftId] : [])));
    return requested;
  }
}

async function commitEvaluation(ctx: ActionContext, writes: EvaluationWrites): Promise<void> {
  const [first, ...rest] = writes.changes;
  if (first) {
    await commitChanges(ctx, [{ ...first, statements: [...writes.statements, ...first.statements] }, ...rest]);
    return;
  }
  const [head, ...tail] = writes.statements;
  if (head) await ctx.db.batch([head, ...tail]);
}

export async function readCounter(db: Db): Promise<{ requested: number; evaluated: number }> {
  const [row] = await db.select().from(alertEvaluation).where(eq(alertEvaluation.id, EVALUATION_ROW));
  return { requested: row?.requested ?? 0, evaluated: row?.evaluated ?? 0 };
}

/** Whether an evaluation is owed: alerts arrived since the last one, or a damping period ended (a due job). */
export async function evaluationDue(db: Db, now: Date): Promise<boolean> {
  const counter = await readCounter(db);
  if (counter.requested > counter.evaluated) return true;
  const [due] = await db
    .select({ one: sql`1` })
    .from(jobs)
    .where(and(eq(jobs.kind, "evaluate_alerts"), eq(jobs.state, "pending"), lte(jobs.runAt, now.toISOString())))
    .limit(1);
  return due !== undefined;
}
