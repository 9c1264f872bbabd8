import type { z } from "zod";
import { invalid } from "../actions/errors.ts";
import type { Planned } from "../changes/commit.ts";
import { newId } from "../model/ids.ts";
import type { SchedulerSettings } from "../scheduler/settings.ts";
import type { IncidentState } from "./incident-state.ts";
import { planOpenIncident } from "./plan-open-incident.ts";
import type { openIncidentInput } from "./schemas.ts";
import { insertOpening, type ScheduledOpeningView, scheduledOpeningView } from "./stored-openings.ts";

/**
 * Stores an incident to open at `publishAt`. Nothing public changes now. Only an incident is opened
 * later: a maintenance is announced when scheduled and its window says when it starts.
 */
export function planScheduleOpening(
  state: IncidentState,
  input: z.output<typeof openIncidentInput>,
  publishAt: string,
  now: Date,
  by: string,
  settings: SchedulerSettings,
): Planned<ScheduledOpeningView, IncidentState> {
  if ((input.kind ?? "incident") !== "incident") {
    throw invalid(
      "A maintenance is announced when it is scheduled; its window says when it starts. Leave out publish_at.",
      [{ path: "publish_at", message: "only for kind incident" }],
    );
  }
  if (input.display_at !== undefined) {
    throw invalid("An incident opened later is shown at its publish_at; leave out display_at.", [
      { path: "display_at", message: "not with publish_at" },
    ]);
  }
  const at = futureTime(publishAt, now);
  // Checked as it would be when opened: the same refusals now, not a failure at publish time.
  planOpenIncident(state, input, now, by, settings);
  const nowIso = now.toISOString();
  const row = {
    id: newId(),
    request: input as Record<string, unknown>,
    publishAt: at,
    createdAt: nowIso,
    updatedAt: nowIso,
    createdBy: by,
    failure: null,
  };
  return {
    statements: [insertOpening(state.db, row)],
    audit: {
      action: "incident.schedule_open",
      targetType: "scheduled_opening",
      targetId: row.id,
      details: { ...input, publish_at: at },
    },
    jobs: [],
    view: scheduledOpeningView(row),
    state,
  };
}

export function futureTime(publishAt: string, now: Date): string {
  const at = new Date(publishAt);
  if (at.getTime() <= now.getTime()) {
    throw invalid("publish_at must be in the future.", [{ path: "publish_at", message: "must be in the future" }]);
  }
  return at.toISOString();
}
