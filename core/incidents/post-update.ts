import type { z } from "zod";
import { requireRole } from "../authorize.ts";
import { commitChange } from "../commit.ts";
import type { ActionContext } from "../context.ts";
import type { AdminIncident } from "../public/admin.ts";
import type { UpdateStatus } from "../statuses.ts";
import { requestFromTemplate } from "../templates/resolve.ts";
import { parseInput } from "../validation.ts";
import { findIncident, type IncidentState, loadIncidentState } from "./incident-state.ts";
import { type PlannedIncident, planIncidentChange } from "./plan-incident.ts";
import { updateRequestFrom } from "./plan-update.ts";
import { postUpdateInput } from "./schemas.ts";

/**
 * Posts an update to an incident, from a template when the request names one; a closing status resolves
 * it and returns its components to operational.
 */
export async function postUpdate(ctx: ActionContext, incidentId: string, rawInput: unknown): Promise<AdminIncident> {
  requireRole(ctx, "commander", "post incident updates");
  const input = parseInput(postUpdateInput, await requestFromTemplate(ctx.db, rawInput, incidentId, ctx.clock.now()));
  const state = await loadIncidentState(ctx.db, [incidentId]);
  const planned = planPostUpdate(state, incidentId, input, ctx.clock.now(), ctx.actor.name);
  await commitChange(ctx, planned);
  return planned.view;
}

export function planPostUpdate(
  state: IncidentState,
  incidentId: string,
  input: z.output<typeof postUpdateInput>,
  now: Date,
  by: string,
): PlannedIncident {
  const current = findIncident(state, incidentId);
  return planIncidentChange(
    state,
    current,
    {
      impactOverride: input.impact,
      update: updateRequestFrom(input, current.status as UpdateStatus, by),
      audit: { action: "incident.update", details: input },
    },
    now,
  );
}
