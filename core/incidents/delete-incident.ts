import { eq } from "drizzle-orm";
import { incidents, incidentUpdates, updateComponents } from "../../db/schema.ts";
import { requireRole } from "../actions/authorize.ts";
import type { ActionContext } from "../actions/context.ts";
import { commitChange, historyMonth, type Planned } from "../changes/commit.ts";
import { withGroups } from "../changes/touched.ts";
import { findIncident, type IncidentState, loadIncidentState } from "./incident-state.ts";

/**
 * Deletes an incident and its timeline (admin only). Components keep their current status: deleting a
 * record is not a statement that service recovered. The audit row keeps a full copy.
 */
export async function deleteIncident(ctx: ActionContext, incidentId: string): Promise<void> {
  requireRole(ctx, "admin", "delete incidents");
  await commitChange(ctx, planDeleteIncident(await loadIncidentState(ctx.db, [incidentId]), incidentId));
}

export function planDeleteIncident(state: IncidentState, incidentId: string): Planned<null, IncidentState> {
  const incident = findIncident(state, incidentId);
  const remaining = new Map(state.incidents);
  remaining.delete(incidentId);
  const holds = new Map(state.holds);
  holds.delete(incidentId);
  return {
    statements: [
      state.db.delete(updateComponents).where(eq(updateComponents.incidentId, incidentId)),
      state.db.delete(incidentUpdates).where(eq(incidentUpdates.incidentId, incidentId)),
      state.db.delete(incidents).where(eq(incidents.id, incidentId)),
    ],
    audit: { action: "incident.delete", targetType: "incident", targetId: incidentId, details: { deleted: incident } },
    jobs: [],
    touched: {
      incidents: [incidentId],
      components: withGroups(state.components, incident.componentIds),
      months: [historyMonth(incident.startedAt)],
    },
    view: null,
    state: { ...state, incidents: remaining, holds },
  };
}
