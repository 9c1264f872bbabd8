import { eq } from "drizzle-orm";
import { z } from "zod";
import { incidents } from "../../db/schema.ts";
import { defineAction, type Outcome } from "../actions/define.ts";
import { HeraldError } from "../actions/errors.ts";
import { pageOf } from "../components/component-state.ts";
import { type AdminIncident, adminIncident } from "../incidents/admin-incident.ts";
import { findIncident, loadIncidentState } from "../incidents/incident-state.ts";
import { incidentId } from "../incidents/schemas.ts";
import { PERSON_ID } from "./commander.ts";

export const handOverInput = z.strictObject({
  ...incidentId,
  person_id: z
    .string()
    .regex(PERSON_ID, "must be a person's id (lowercase letters and digits)")
    .describe("the person who commands the incident from now on"),
});

/** Hands an open incident to another Incident Commander (audited; the page does not show who commands). */
export const handOverIncident = defineAction({
  name: "incident.hand_over",
  role: "commander",
  doing: "hand incidents over",
  input: handOverInput,
  load: (ctx, { id }) => loadIncidentState(ctx.db, [id]),
  plan(state, { id, person_id }, { now }): Outcome<AdminIncident> {
    const current = findIncident(state, id);
    if (current.resolvedAt !== null) {
      throw new HeraldError("conflict", "A closed incident has no commander to hand over; reopen it first.");
    }
    const at = now.toISOString();
    const record = { ...current, commanderId: person_id, updatedAt: at };
    return {
      changes: [
        {
          statements: [
            state.db.update(incidents).set({ commanderId: person_id, updatedAt: at }).where(eq(incidents.id, id)),
          ],
          audit: {
            action: "incident.hand_over",
            targetType: "incident",
            targetId: id,
            details: { from: current.commanderId, to: person_id },
          },
          jobs: [],
        },
      ],
      result: adminIncident(record, state.components, pageOf(state), now),
    };
  },
});
