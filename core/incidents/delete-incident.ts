import { eq } from "drizzle-orm";
import { z } from "zod";
import { incidents, incidentUpdates, scheduledActions, updateComponents } from "../../db/schema.ts";
import { defineAction } from "../actions/define.ts";
import { historyMonth, type Planned } from "../changes/commit.ts";
import { withGroups } from "../changes/touched.ts";
import { findIncident, type IncidentState, loadIncidentState } from "./incident-state.ts";
import { incidentId } from "./schemas.ts";

/**
 * Deletes an incident and its timeline (admin only). Components keep their current status: deleting a
 * record is not a statement that service recovered. The audit row keeps a full copy.
 */
export const deleteIncident = defineAction({
  name: "incident.delete",
  role: "admin",
  doing: "delete incidents",
  input: z.object(incidentId),
  load: (ctx, { id }) => loadIncidentState(ctx.db, [id]),
  plan: (state, { id }) => ({ changes: [planDeleteIncident(state, id)], result: null }),
});

function planDeleteIncident(state: IncidentState, id: string): Planned<null, IncidentState> {
  const incident = findIncident(state, id);
  const remaining = new Map(state.incidents);
  remaining.delete(id);
  const holds = new Map(state.holds);
  holds.delete(id);
  return {
    statements: [
      state.db.delete(updateComponents).where(eq(updateComponents.incidentId, id)),
      state.db.delete(incidentUpdates).where(eq(incidentUpdates.incidentId, id)),
      state.db.delete(scheduledActions).where(eq(scheduledActions.incidentId, id)),
      state.db.delete(incidents).where(eq(incidents.id, id)),
    ],
    audit: { action: "incident.delete", targetType: "incident", targetId: id, details: { deleted: incident } },
    jobs: [],
    touched: {
      incidents: [id],
      components: withGroups(state.components, incident.componentIds),
      months: [historyMonth(incident.startedAt)],
    },
    view: null,
    state: { ...state, incidents: remaining, holds },
  };
}
