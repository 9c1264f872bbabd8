import type { ActionContext } from "../../core/actions/context.ts";
import { evaluateAlerts } from "../../core/alerts/automation/evaluate.ts";
import type { JobHandler } from "../runner.ts";

/** Runs one evaluation of the alerts for every due `evaluate_alerts` job at once (they all ask for the same). */
export function evaluateAlertsHandler(ctx: ActionContext): JobHandler<"evaluate_alerts"> {
  return async () => {
    await evaluateAlerts(ctx);
  };
}
