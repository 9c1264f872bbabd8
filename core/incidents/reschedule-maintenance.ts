import { requireRole } from "../actions/authorize.ts";
import type { ActionContext } from "../actions/context.ts";
import { invalid } from "../actions/errors.ts";
import { parseInput } from "../actions/validation.ts";
import { commitChange } from "../changes/commit.ts";
import { textOrTemplate } from "../scheduler/maintenance-bodies.ts";
import type { AdminIncident } from "./admin-incident.ts";
import { loadIncidentState } from "./incident-state.ts";
import { findMaintenanceIn } from "./maintenance-window.ts";
import { planIncidentChange } from "./plan-incident.ts";
import { maintenanceWindow } from "./plan-open-incident.ts";
import { rescheduleMaintenanceInput } from "./schemas.ts";

/**
 * Moves a maintenance that has not started to a new window: an update says so, subscribers are told
 * (`maintenance.rescheduled`), the calendar's SEQUENCE rises and its reminder follows the new start.
 */
export async function rescheduleMaintenance(ctx: ActionContext, id: string, rawInput: unknown): Promise<AdminIncident> {
  requireRole(ctx, "commander", "reschedule maintenances");
  const input = parseInput(rescheduleMaintenanceInput, rawInput);
  const state = await loadIncidentState(ctx.db, [id]);
  const current = findMaintenanceIn(state, id, ["scheduled"], "rescheduled");
  const window = maintenanceWindow(
    "maintenance",
    input.scheduled_for ?? current.scheduledFor ?? undefined,
    input.scheduled_until ?? current.scheduledUntil ?? undefined,
    {
      now: ctx.clock.now(),
      newStart: input.scheduled_for !== undefined,
      newEnd: input.scheduled_until !== undefined,
    },
  );
  if (window?.scheduledFor === current.scheduledFor && window?.scheduledUntil === current.scheduledUntil) {
    // Telling every subscriber "rescheduled" about a window that did not move would be noise.
    throw invalid("The maintenance is already scheduled for this window; nothing was changed.", [
      { path: "scheduled_for", message: "give a window other than the current one" },
    ]);
  }
  const text = await textOrTemplate(
    ctx.db,
    "rescheduled",
    input.body,
    window ? { ...current, ...window } : current,
    ctx.clock.now(),
  );
  const planned = planIncidentChange(
    state,
    current,
    {
      scheduledFor: window?.scheduledFor,
      scheduledUntil: window?.scheduledUntil,
      update: {
        status: "scheduled",
        ...text,
        deliverNotifications: input.deliver_notifications,
        by: ctx.actor.name,
      },
      audit: {
        action: "maintenance.reschedule",
        details: {
          before: { scheduled_for: current.scheduledFor, scheduled_until: current.scheduledUntil },
          after: input,
        },
      },
    },
    ctx.clock.now(),
  );
  await commitChange(ctx, planned);
  return planned.view;
}
