import { requireRole } from "../actions/authorize.ts";
import type { ActionContext } from "../actions/context.ts";
import { parseInput } from "../actions/validation.ts";
import { commitChange } from "../changes/commit.ts";
import { textOrTemplate } from "../scheduler/maintenance-bodies.ts";
import type { AdminIncident } from "./admin-incident.ts";
import { loadIncidentState } from "./incident-state.ts";
import { findMaintenanceIn } from "./maintenance-window.ts";
import { planIncidentChange } from "./plan-incident.ts";
import { cancelMaintenanceInput } from "./schemas.ts";

/**
 * Cancels a maintenance that has not started: it is completed with a "cancelled" update (its
 * components were never touched), leaves the upcoming list, subscribers are told
 * (`maintenance.cancelled`) and the calendar marks the event CANCELLED.
 */
export async function cancelMaintenance(ctx: ActionContext, id: string, rawInput: unknown): Promise<AdminIncident> {
  requireRole(ctx, "commander", "cancel maintenances");
  const input = parseInput(cancelMaintenanceInput, rawInput);
  const state = await loadIncidentState(ctx.db, [id]);
  const current = findMaintenanceIn(state, id, ["scheduled"], "cancelled");
  const now = ctx.clock.now();
  const text = await textOrTemplate(ctx.db, "cancelled", input.body, current, now);
  const planned = planIncidentChange(
    state,
    current,
    {
      cancelledAt: now.toISOString(),
      update: {
        status: "completed",
        ...text,
        deliverNotifications: input.deliver_notifications,
        by: ctx.actor.name,
      },
      audit: { action: "maintenance.cancel", details: input },
    },
    now,
  );
  await commitChange(ctx, planned);
  return planned.view;
}
