import { defineAction, type Outcome } from "../actions/define.ts";
import { loadMaintenanceBodies } from "../scheduler/maintenance-bodies.ts";
import type { AdminIncident } from "./admin-incident.ts";
import { loadIncidentState } from "./incident-state.ts";
import { findMaintenanceIn, noticeText } from "./maintenance-window.ts";
import { planIncidentChange } from "./plan-incident.ts";
import { cancelMaintenanceInput, incidentId } from "./schemas.ts";

/**
 * Cancels a maintenance that has not started: it is completed with a "cancelled" update (its
 * components were never touched), leaves the upcoming list, subscribers are told
 * (`maintenance.cancelled`) and the calendar marks the event CANCELLED.
 */
export const cancelMaintenance = defineAction({
  name: "maintenance.cancel",
  role: "commander",
  doing: "cancel maintenances",
  input: cancelMaintenanceInput.extend(incidentId),
  async load(ctx, { id }, now) {
    const [state, bodies] = await Promise.all([
      loadIncidentState(ctx.db, [id]),
      loadMaintenanceBodies(ctx.db, ["cancelled"], now),
    ]);
    return { state, bodies };
  },
  plan({ state, bodies }, { id, ...input }, { now, actor }): Outcome<AdminIncident> {
    const current = findMaintenanceIn(state, id, ["scheduled"], "cancelled");
    const planned = planIncidentChange(
      state,
      current,
      {
        cancelledAt: now.toISOString(),
        update: {
          status: "completed",
          ...noticeText(bodies, "cancelled", input.body, current),
          deliverNotifications: input.deliver_notifications,
          by: actor.name,
        },
        audit: { action: "maintenance.cancel", details: input },
      },
      now,
    );
    return { changes: [planned], result: planned.view };
  },
});
