import { requireRole } from "../actions/authorize.ts";
import type { ActionContext } from "../actions/context.ts";
import { HeraldError, invalid } from "../actions/errors.ts";
import { parseInput } from "../actions/validation.ts";
import { commitChange } from "../changes/commit.ts";
import { isClosingStatus } from "../model/statuses.ts";
import { defaultCadenceFor, schedulerSettings } from "../scheduler/settings.ts";
import type { AdminIncident } from "./admin-incident.ts";
import { findIncident, loadIncidentState } from "./incident-state.ts";
import { planIncidentChange } from "./plan-incident.ts";
import { updateRequestFrom } from "./plan-update.ts";
import { reopenIncidentInput } from "./schemas.ts";

/**
 * Reopens a resolved incident: an update with an open status and a text saying why, the components it
 * names set again, `resolved_at` cleared, and subscribers told it is back (`incident.reopened`). The
 * one way an update may follow a resolution (an ordinary update to a closed incident is a 409).
 */
export async function reopenIncident(
  ctx: ActionContext,
  incidentId: string,
  rawInput: unknown,
): Promise<AdminIncident> {
  requireRole(ctx, "commander", "reopen incidents");
  const input = parseInput(reopenIncidentInput, rawInput);
  const [state, settings] = await Promise.all([loadIncidentState(ctx.db, [incidentId]), schedulerSettings(ctx)]);
  const current = findIncident(state, incidentId);
  if (current.kind !== "incident") {
    throw invalid(`Only an incident can be reopened; "${incidentId}" is a maintenance.`);
  }
  if (!isClosingStatus(current.status)) {
    throw new HeraldError("conflict", `This incident is open (${current.status}); there is nothing to reopen.`);
  }
  const planned = planIncidentChange(
    state,
    current,
    {
      update: updateRequestFrom(input, input.status, ctx.actor.name, defaultCadenceFor("incident", settings)),
      reopens: true,
      audit: { action: "incident.reopen", details: { resolved_at: current.resolvedAt, ...input } },
    },
    ctx.clock.now(),
  );
  await commitChange(ctx, planned);
  return planned.view;
}
