import { requireRole } from "../actions/authorize.ts";
import type { ActionContext } from "../actions/context.ts";
import { invalid } from "../actions/errors.ts";
import { parseInput } from "../actions/validation.ts";
import { commitChange } from "../changes/commit.ts";
import { defaultCadenceFor, schedulerSettings } from "../scheduler/settings.ts";
import type { AdminIncident } from "./admin-incident.ts";
import { findIncident, loadIncidentState } from "./incident-state.ts";
import { planIncidentChange } from "./plan-incident.ts";
import { maintenanceWindow, remindMinutes } from "./plan-open-incident.ts";
import { updateRequestFrom } from "./plan-update.ts";
import { editIncidentInput } from "./schemas.ts";

/**
 * Edits an incident's name, impact override or maintenance window; like Statuspage's PATCH, a status,
 * body or component change in the same request also posts an update.
 */
export async function editIncident(ctx: ActionContext, incidentId: string, rawInput: unknown): Promise<AdminIncident> {
  requireRole(ctx, "commander", "edit incidents");
  const input = parseInput(editIncidentInput, rawInput);
  const [state, settings] = await Promise.all([loadIncidentState(ctx.db, [incidentId]), schedulerSettings(ctx)]);
  const current = findIncident(state, incidentId);
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
        {
          now: ctx.clock.now(),
          newStart: input.scheduled_for !== undefined,
          newEnd: input.scheduled_until !== undefined,
        },
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
        ? updateRequestFrom(input, current.status, ctx.actor.name, defaultCadenceFor(current.kind, settings))
        : undefined,
      audit: {
        action: "incident.edit",
        details: { before: { name: current.name, impact_override: current.impactOverride }, after: input },
      },
    },
    ctx.clock.now(),
  );
  await commitChange(ctx, planned);
  return planned.view;
}
