import { defineAction, type Outcome } from "../actions/define.ts";
import { invalid } from "../actions/errors.ts";
import { loadMaintenanceBodies } from "../scheduler/maintenance-bodies.ts";
import type { AdminIncident } from "./admin-incident.ts";
import { loadIncidentState } from "./incident-state.ts";
import { findMaintenanceIn, noticeText } from "./maintenance-window.ts";
import { planIncidentChange } from "./plan-incident.ts";
import { maintenanceWindow } from "./plan-open-incident.ts";
import { incidentId, rescheduleMaintenanceInput } from "./schemas.ts";

/**
 * Moves a maintenance that has not started to a new window: an update says so, subscribers are told
 * (`maintenance.rescheduled`), the calendar's SEQUENCE rises and its reminder follows the new start.
 */
export const rescheduleMaintenance = defineAction({
  name: "maintenance.reschedule",
  role: "commander",
  doing: "reschedule maintenances",
  input: rescheduleMaintenanceInput.safeExtend(incidentId),
  async load(ctx, { id }, now) {
    const [state, bodies] = await Promise.all([
      loadIncidentState(ctx.db, [id]),
      loadMaintenanceBodies(ctx.db, ["rescheduled"], now),
    ]);
    return { state, bodies };
  },
  plan({ state, bodies }, { id, ...input }, { now, actor }): Outcome<AdminIncident> {
    const current = findMaintenanceIn(state, id, ["scheduled"], "rescheduled");
    const window = maintenanceWindow(
      "maintenance",
      input.scheduled_for ?? current.scheduledFor ?? undefined,
      input.scheduled_until ?? current.scheduledUntil ?? undefined,
      { now, newStart: input.scheduled_for !== undefined, newEnd: input.scheduled_until !== undefined },
    );
    if (window?.scheduledFor === current.scheduledFor && window?.scheduledUntil === current.scheduledUntil) {
      // Telling every subscriber "rescheduled" about a window that did not move would be noise.
      throw invalid("The maintenance is already scheduled for this window; nothing was changed.", [
        { path: "scheduled_for", message: "give a window other than the current one" },
      ]);
    }
    const text = noticeText(bodies, "rescheduled", input.body, window ? { ...current, ...window } : current);
    const planned = planIncidentChange(
      state,
      current,
      {
        scheduledFor: window?.scheduledFor,
        scheduledUntil: window?.scheduledUntil,
        update: { status: "scheduled", ...text, deliverNotifications: input.deliver_notifications, by: actor.name },
        audit: {
          action: "maintenance.reschedule",
          details: {
            before: { scheduled_for: current.scheduledFor, scheduled_until: current.scheduledUntil },
            after: input,
          },
        },
      },
      now,
    );
    return { changes: [planned], result: planned.view };
  },
});
