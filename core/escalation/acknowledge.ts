import { eq } from "drizzle-orm";
import { z } from "zod";
import { incidents } from "../../db/schema.ts";
import { defineAction, type Outcome } from "../actions/define.ts";
import { HeraldError } from "../actions/errors.ts";
import { pageOf } from "../components/component-state.ts";
import { type AdminIncident, adminIncident } from "../incidents/admin-incident.ts";
import { findIncident, loadIncidentState } from "../incidents/incident-state.ts";
import { incidentId } from "../incidents/schemas.ts";
import { stopEscalations } from "./stop.ts";

export const acknowledgeInput = z.strictObject({
  ...incidentId,
  minutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .describe('"posting in N minutes": the page\'s "Next update by" moves to now + minutes'),
});

/**
 * "Acknowledged, posting in N minutes": moves the incident's promised next update publicly and stops the
 * escalation of the lapsed promise (docs/team.md, Escalation). The new promise escalates again if it lapses.
 */
export const acknowledgePromise = defineAction({
  name: "incident.acknowledge",
  role: "commander",
  doing: "acknowledge incidents",
  input: acknowledgeInput,
  load: (ctx, { id }) => loadIncidentState(ctx.db, [id]),
  plan(state, { id, minutes }, { now, actor }): Outcome<AdminIncident> {
    const current = findIncident(state, id);
    if (current.resolvedAt !== null) {
      throw new HeraldError("conflict", "A closed incident promises no next update; there is nothing to acknowledge.");
    }
    const at = now.toISOString();
    const due = new Date(now.getTime() + minutes * 60_000).toISOString();
    const record = { ...current, nextUpdateDueAt: due, updatedAt: at };
    return {
      changes: [
        {
          statements: [
            state.db.update(incidents).set({ nextUpdateDueAt: due, updatedAt: at }).where(eq(incidents.id, id)),
            stopEscalations(state.db, { type: "incident", id }, `${actor.name} (${actor.id})`, at),
          ],
          audit: {
            action: "incident.acknowledge",
            targetType: "incident",
            targetId: id,
            details: { minutes, before: current.nextUpdateDueAt, next_update_due_at: due },
          },
          jobs: [],
          touched: { incidents: [id] },
        },
      ],
      result: adminIncident(record, state.components, pageOf(state), now),
    };
  },
});
