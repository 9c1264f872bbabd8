import type { ActionContext } from "../../core/actions/context.ts";
import { evaluateAlerts } from "../../core/alerts/automation/evaluate.ts";
import type { JobHandler } from "../runner.ts";

/**
 * The least time between two evaluations in one runner. Each evaluation loads and matches every firing alert;
 * under a storm, evaluating after every delivery (measured: 1,066 evaluations for 1,000 deliveries) took the
 * thread the intake answers on. Deliveries arriving during the gap share the next evaluation (their requests
 * find its job already queued); a lone alert after a quiet spell is evaluated at once.
 */
export const EVALUATION_GAP_MS = 250;

/** Runs one evaluation of the alerts for every due `evaluate_alerts` job at once (they all ask for the same). */
export function evaluateAlertsHandler(ctx: ActionContext, gapMs = EVALUATION_GAP_MS): JobHandler<"evaluate_alerts"> {
  let lastEndedAt = Number.NEGATIVE_INFINITY;
  return async () => {
    const wait = lastEndedAt + gapMs - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    try {
      await evaluateAlerts(ctx);
    } finally {
      lastEndedAt = performance.now();
    }
  };
}
