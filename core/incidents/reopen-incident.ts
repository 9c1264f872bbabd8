import { defineAction, type Outcome } from "../actions/define.ts";
import { HeraldError, invalid } from "../actions/errors.ts";
import { isClosingStatus } from "../model/statuses.ts";
import { defaultCadenceFor, schedulerSettings } from "../scheduler/settings.ts";
import type { AdminIncident } from "./admin-incident.ts";
import { findIncident, loadIncidentState } from "./incident-state.ts";
import { planIncidentChange } from "./plan-incident.ts";
import { incidentId, reopenIncidentInput } from "./schemas.ts";
import { updateRequestFrom } from "./update-rules.ts";

/**
 * Reopens a resolved incident: an update with an open status and a text saying why, the components it
 * names set again, `resolved_at` cleared, and subscribers told it is back (`incident.reopened`). The
 * one way an update may follow a resolution (an ordinary update to a closed incident is a 409).
 */
export const reopenIncident = defineAction({
  name: "incident.reopen",
  role: "commander",
  doing: "reopen incidents",
  input: reopenIncidentInput.extend(incidentId),
  async load(ctx, { id }) {
    const [state, settings] = await Promise.all([loadIncidentState(ctx.db, [id]), schedulerSettings(ctx)]);
    return { state, settings };
  },
  plan({ state, settings }, { id, ...input }, { now, actor }): Outcome<AdminIncident> {
    const current = findIncident(state, id);
    if (current.kind !== "incident") {
      throw invalid(`Only an incident can be reopened; "${id}" is a maintenance.`);
    }
    if (!isClosingStatus(current.status)) {
      throw new HeraldError("conflict", `This incident is open (${current.status}); there is nothing to reopen.`);
    }
    const planned = planIncidentChange(
      state,
      current,
      {
        update: updateRequestFrom(input, input.status, actor.name, defaultCadenceFor("incident", settings)),
        reopens: true,
        audit: { action: "incident.reopen", details: { resolved_at: current.resolvedAt, ...input } },
      },
      now,
    );
    return { changes: [planned], result: planned.view };
  },
});
