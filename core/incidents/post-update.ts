import { requireRole } from "../authorize.ts";
import type { ActionContext } from "../context.ts";
import type { UpdateStatus } from "../statuses.ts";
import type { IncidentRecord } from "../types.ts";
import { parseInput } from "../validation.ts";
import { changeIncident } from "./change-incident.ts";
import { getIncidentRow } from "./load-incidents.ts";
import { updateRequestFrom } from "./plan-update.ts";
import { postUpdateInput } from "./schemas.ts";

/** Posts an update to an incident; a closing status resolves it and returns its components to operational. */
export async function postUpdate(ctx: ActionContext, incidentId: string, rawInput: unknown): Promise<IncidentRecord> {
  requireRole(ctx, "commander", "post incident updates");
  const input = parseInput(postUpdateInput, rawInput);
  const current = await getIncidentRow(ctx.db, incidentId);
  return changeIncident(ctx, current, {
    impactOverride: input.impact,
    update: updateRequestFrom(input, current.status as UpdateStatus),
    audit: { action: "incident.update", details: input },
  });
}
