import { defineAction, type Outcome } from "../actions/define.ts";
import { parseInput } from "../actions/validation.ts";
import { commanderOf } from "../escalation/commander.ts";
import { schedulerSettings } from "../scheduler/settings.ts";
import { requestFromTemplate } from "../templates/resolve.ts";
import { openIncidentRequest } from "../templates/schemas.ts";
import type { AdminIncident } from "./admin-incident.ts";
import { loadIncidentState } from "./incident-state.ts";
import { planOpenIncident } from "./plan-open-incident.ts";
import { planScheduleOpening } from "./schedule-opening.ts";
import { openIncidentInput, publishAtField } from "./schemas.ts";
import type { ScheduledOpeningView } from "./stored-openings.ts";

const openOrScheduleInput = openIncidentInput.extend({ publish_at: publishAtField.optional() });

export type OpenIncidentResult =
  | { outcome: "opened"; incident: AdminIncident }
  | { outcome: "scheduled"; opening: ScheduledOpeningView };

/**
 * Opens an incident, or schedules a maintenance, with its first update and component changes; from a
 * template when the request names one (its own fields override the template's). With a future
 * `publish_at` the incident is kept as a scheduled opening (checked now as it would be when opened)
 * that the scheduler opens at that time.
 */
export const openIncident = defineAction({
  name: "incident.open",
  role: "commander",
  doing: "open incidents",
  input: openIncidentRequest,
  async load(ctx, request, now) {
    const input = parseInput(openOrScheduleInput, await requestFromTemplate(ctx.db, request, null, now));
    const [state, settings] = await Promise.all([loadIncidentState(ctx.db), schedulerSettings(ctx)]);
    return { input, state, settings };
  },
  plan({ input: { publish_at, ...input }, state, settings }, _request, { now, actor }): Outcome<OpenIncidentResult> {
    if (publish_at) {
      const planned = planScheduleOpening(state, input, publish_at, now, actor.name, settings);
      return { changes: [planned], result: { outcome: "scheduled", opening: planned.view } };
    }
    const planned = planOpenIncident(state, input, now, actor.name, settings, commanderOf(actor));
    return { changes: [planned], result: { outcome: "opened", incident: planned.view } };
  },
});
