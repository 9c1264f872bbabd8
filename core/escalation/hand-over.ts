import { and, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { incidents, people } from "../../db/schema.ts";
import { defineAction, type Outcome } from "../actions/define.ts";
import { HeraldError, invalid } from "../actions/errors.ts";
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
  load: async (ctx, { id, person_id }) => {
    const [state, [person]] = await Promise.all([
      loadIncidentState(ctx.db, [id]),
      ctx.db
        .select({ name: people.name, role: people.role })
        .from(people)
        .where(and(eq(people.id, person_id), isNull(people.removedAt))),
    ]);
    return { ...state, person };
  },
  plan(state, { id, person_id }, { now }): Outcome<AdminIncident> {
    const current = findIncident(state, id);
    if (current.resolvedAt !== null) {
      throw new HeraldError("conflict", "A closed incident has no commander to hand over; reopen it first.");
    }
    // Only someone who may post updates can keep the incident's promises.
    if (!state.person || state.person.role === "viewer") {
      throw invalid("Hand the incident to a commander or an admin on the team.", [
        {
          path: "person_id",
          message: state.person
            ? `${state.person.name} is a viewer and cannot post updates`
            : "nobody on the team has this id",
        },
      ]);
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
