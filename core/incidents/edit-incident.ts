import { defineAction, type Outcome } from "../actions/define.ts";
import { invalid } from "../actions/errors.ts";
import { defaultCadenceFor, schedulerSettings } from "../scheduler/settings.ts";
import type { AdminIncident } from "./admin-incident.ts";
import { findIncident, loadIncidentState } from "./incident-state.ts";
import { planIncidentChange } from "./plan-incident.ts";
import { maintenanceWindow, remindMinutes } from "./plan-open-incident.ts";
import { editIncidentInput, incidentId } from "./schemas.ts";
import { updateRequestFrom } from "./update-rules.ts";

/**
 * Edits an incident's name, impact override or maintenance window; like Statuspage's PATCH, a status,
 * body or component change in the same request also posts an update.
 */
export const editIncident = defineAction({
  name: "incident.edit",
  role: "commander",
  doing: "edit incidents",
  input: editIncidentInput.extend(incidentId),
  async load(ctx, { id }) {
    const [state, settings] = await Promise.all([loadIncidentState(ctx.db, [id]), schedulerSettings(ctx)]);
    return { state, settings };
  },
  plan({ state, settings }, { id, ...input }, { now, actor }): Outcome<AdminIncident> {
    const current = findIncident(state, id);
    if (current.kind === "incident" && (input.auto_start !== undefined || input.auto_complete !== undefined)) {
      throw invalid("Only a maintenance starts and completes by itself.", [
        { path: input.auto_start !== undefined ? "auto_start" : "auto_complete", message: "only for a maintenance" },
      ]);
    }
    const reschedules = input.scheduled_for !== undefined || input.scheduled_until !== undefined;
    const window = reschedules
      ? maintenanceWindow(
          current.kind,
          input.scheduled_for ?? current.scheduledFor ?? undefined,
          input.scheduled_until ?? current.scheduledUntil ?? undefined,
          { now, newStart: input.scheduled_for !== undefined, newEnd: input.scheduled_until !== undefined },
        )
      : null;
    const postsUpdate = input.status !== undefined || input.body !== undefined || input.components !== undefined;
    const planned = planIncidentChange(
      state,
      current,
      {
        name: input.name,
        impactOverride: input.impact,
        scheduledFor: window?.scheduledFor,
        scheduledUntil: window?.scheduledUntil,
        remindMinutes: remindMinutes(current.kind, input.remind_minutes),
        autoStart: input.auto_start,
        autoComplete: input.auto_complete,
        deliverNotifications: input.deliver_notifications,
        update: postsUpdate
          ? updateRequestFrom(input, current.status, actor.name, defaultCadenceFor(current.kind, settings))
          : undefined,
        audit: {
          action: "incident.edit",
          details: { before: { name: current.name, impact_override: current.impactOverride }, after: input },
        },
      },
      now,
    );
    return { changes: [planned], result: planned.view };
  },
});
