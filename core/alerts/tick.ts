import type { ActionContext } from "../actions/context.ts";
import { type EvaluationResult, evaluateAlerts, evaluationDue } from "./automation/evaluate.ts";
import { runDraftTimers } from "./drafts/timers.ts";
import { intakeTick } from "./sources/intake-tick.ts";

/**
 * The alerts' part of the scheduler tick (Node's interval and the Worker's cron alike): missing heartbeats
 * raise their alerts and the intake log is pruned (core/alerts/sources/intake-tick.ts), an owed evaluation runs
 * (the runner's `evaluate_alerts` jobs do it at once on Node; the tick is the safety net, and the only evaluator
 * where no runner runs), then the drafts' timers fire (after the evaluation, so a draft it made is announced now;
 * `escalating`: an escalation policy exists, and a draft still waiting after its first notice escalates instead).
 */
export async function alertTick(
  ctx: ActionContext,
  escalating: boolean,
): Promise<{ evaluation: EvaluationResult | null }> {
  await intakeTick(ctx);
  const evaluation = (await evaluationDue(ctx.db, ctx.clock.now())) ? await evaluateAlerts(ctx) : null;
  await runDraftTimers(ctx, escalating);
  return { evaluation };
}
