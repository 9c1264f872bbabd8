import { defineAction, type Outcome } from "../actions/define.ts";
import { invalid } from "../actions/errors.ts";
import { loadMaintenanceBodies } from "../scheduler/maintenance-bodies.ts";
import type { AdminIncident } from "./admin-incident.ts";
import { loadIncidentState } from "./incident-state.ts";
import { checkWindowBounds, findMaintenanceIn, noticeText } from "./maintenance-window.ts";
import { planIncidentChange } from "./plan-incident.ts";
import { extendMaintenanceInput, incidentId } from "./schemas.ts";

/**
 * Gives a maintenance a later end, before or during it: an update says so and subscribers are told. A running
 * one takes longer than planned (`maintenance.extended`, the "extended" text); one not yet begun has a new
 * window (`maintenance.rescheduled`, the "rescheduled" text), as a reschedule would say.
 */
export const extendMaintenance = defineAction({
  name: "maintenance.extend",
  role: "commander",
  doing: "extend maintenances",
  input: extendMaintenanceInput.extend(incidentId),
  async load(ctx, { id }, now) {
    const [state, bodies] = await Promise.all([
      loadIncidentState(ctx.db, [id]),
      loadMaintenanceBodies(ctx.db, ["rescheduled", "extended"], now),
    ]);
    return { state, bodies };
  },
  plan({ state, bodies }, { id, ...input }, { now, actor }): Outcome<AdminIncident> {
    const current = findMaintenanceIn(state, id, ["scheduled", "in_progress", "verifying"], "extended");
    const until = new Date(input.scheduled_until).toISOString();
    if (current.scheduledUntil && until <= current.scheduledUntil) {
      throw invalid(`An extension ends after the current end (${current.scheduledUntil}).`, [
        { path: "scheduled_until", message: `must be after ${current.scheduledUntil}` },
      ]);
    }
    if (current.scheduledFor)
      checkWindowBounds(
        { scheduledFor: current.scheduledFor, scheduledUntil: until },
        { now, newStart: false, newEnd: true },
      );
    const stage = current.status === "scheduled" ? "rescheduled" : "extended";
    const text = noticeText(bodies, stage, input.body, { ...current, scheduledUntil: until });
    const planned = planIncidentChange(
      state,
      current,
      {
        scheduledUntil: until,
        update: {
          status: current.status,
          ...text,
          deliverNotifications: input.deliver_notifications,
          by: actor.name,
        },
        audit: { action: "maintenance.extend", details: { before: current.scheduledUntil, after: input } },
      },
      now,
    );
    return { changes: [planned], result: planned.view };
  },
});
