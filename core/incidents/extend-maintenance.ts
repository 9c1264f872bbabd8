import { requireRole } from "../actions/authorize.ts";
import type { ActionContext } from "../actions/context.ts";
import { invalid } from "../actions/errors.ts";
import { parseInput } from "../actions/validation.ts";
import { commitChange } from "../changes/commit.ts";
import { textOrTemplate } from "../scheduler/maintenance-bodies.ts";
import type { AdminIncident } from "./admin-incident.ts";
import { loadIncidentState } from "./incident-state.ts";
import { checkWindowBounds, findMaintenanceIn } from "./maintenance-window.ts";
import { planIncidentChange } from "./plan-incident.ts";
import { extendMaintenanceInput } from "./schemas.ts";

/**
 * Gives a maintenance a later end, before or during it: an update says so and subscribers are told. A running
 * one takes longer than planned (`maintenance.extended`, the "extended" text); one not yet begun has a new
 * window (`maintenance.rescheduled`, the "rescheduled" text), as a reschedule would say.
 */
export async function extendMaintenance(ctx: ActionContext, id: string, rawInput: unknown): Promise<AdminIncident> {
  requireRole(ctx, "commander", "extend maintenances");
  const input = parseInput(extendMaintenanceInput, rawInput);
  const state = await loadIncidentState(ctx.db, [id]);
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
      { now: ctx.clock.now(), newStart: false, newEnd: true },
    );
  const text = await textOrTemplate(
    ctx.db,
    current.status === "scheduled" ? "rescheduled" : "extended",
    input.body,
    { ...current, scheduledUntil: until },
    ctx.clock.now(),
  );
  const planned = planIncidentChange(
    state,
    current,
    {
      scheduledUntil: until,
      update: {
        status: current.status,
        ...text,
        deliverNotifications: input.deliver_notifications,
        by: ctx.actor.name,
      },
      audit: { action: "maintenance.extend", details: { before: current.scheduledUntil, after: input } },
    },
    ctx.clock.now(),
  );
  await commitChange(ctx, planned);
  return planned.view;
}
