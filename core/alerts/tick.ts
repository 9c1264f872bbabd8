import type { ActionContext } from "../actions/context.ts";
import { type EvaluationResult, evaluateAlerts, evaluationDue } from "./automation/evaluate.ts";

/**
 * The alerts' part of the scheduler tick (Node's interval and the Worker's cron alike): missing heartbeats
 * raise their alerts, an owed evaluation runs (the runner's `evaluate_alerts` jobs do it at once on Node; the
 * tick is the safety net, and the only evaluator where no runner runs), and the drafts' timers fire.
 */
export async function alertTick(ctx: ActionContext): Promise<{ evaluation: EvaluationResult | null }> {
  // TODO(alert-intake): await checkHeartbeats(ctx); — slice A's missing-heartbeat check, wired by the integrator.
  const evaluation = (await evaluationDue(ctx.db, ctx.clock.now())) ? await evaluateAlerts(ctx) : null;
  // TODO(alert-drafts): await runDraftTimers(ctx); — slice C's reminders and auto-publishing, wired by the integrator.
  return { evaluation };
}
