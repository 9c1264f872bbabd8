import type { z } from "zod";
import { incidentUpdates } from "../../db/schema.ts";
import { requireRole } from "../actions/authorize.ts";
import type { ActionContext } from "../actions/context.ts";
import { invalid } from "../actions/errors.ts";
import { parseInput } from "../actions/validation.ts";
import { commitChange, type Planned } from "../changes/commit.ts";
import { defaultCadenceFor, NO_SETTINGS, type SchedulerSettings, schedulerSettings } from "../scheduler/settings.ts";
import { requestFromTemplate } from "../templates/resolve.ts";
import type { AdminIncident } from "./admin-incident.ts";
import { findIncident, type IncidentState, loadIncidentState } from "./incident-state.ts";
import { type PlannedIncidentChange, planIncidentChange } from "./plan-incident.ts";
import { assertSchedulable, type ScheduledUpdateView, scheduledUpdateView } from "./scheduled-updates.ts";
import { postUpdateInput } from "./schemas.ts";
import { assertTransition } from "./transition.ts";
import { updateRequestFrom, writeUpdate } from "./update-rules.ts";

/**
 * Posts an update to an incident, from a template when the request names one; a closing status resolves
 * it and returns its components to operational.
 */
export async function postUpdate(ctx: ActionContext, incidentId: string, rawInput: unknown): Promise<AdminIncident> {
  const result = await postOrScheduleUpdate(ctx, incidentId, rawInput, { timed: false });
  if ("incident_id" in result) throw new Error("postUpdate stored a timed update");
  return result;
}

/**
 * What `POST /api/incidents/{id}/updates` does: posts the update now or, with a future `publish_at`,
 * stores it as a timed update (on no page, feed or inbox until the scheduler publishes it) and answers
 * with that scheduled update.
 */
export async function postOrScheduleUpdate(
  ctx: ActionContext,
  incidentId: string,
  rawInput: unknown,
  options: { timed?: boolean } = {},
): Promise<AdminIncident | ScheduledUpdateView> {
  requireRole(ctx, "commander", "post incident updates");
  const input = parseInput(postUpdateInput, await requestFromTemplate(ctx.db, rawInput, incidentId, ctx.clock.now()));
  if (input.publish_at && options.timed === false) {
    throw invalid("This call posts now; leave out publish_at.", [{ path: "publish_at", message: "not accepted here" }]);
  }
  const [state, settings] = await Promise.all([loadIncidentState(ctx.db, [incidentId]), schedulerSettings(ctx)]);
  const now = ctx.clock.now();
  const planned = input.publish_at
    ? planScheduleUpdate(state, incidentId, input, now, ctx.actor.name, settings)
    : planPostUpdate(state, incidentId, input, now, ctx.actor.name, settings);
  await commitChange(ctx, planned);
  return planned.view;
}

export function planPostUpdate(
  state: IncidentState,
  incidentId: string,
  input: z.output<typeof postUpdateInput>,
  now: Date,
  by: string,
  settings: SchedulerSettings = NO_SETTINGS,
): PlannedIncidentChange {
  const current = findIncident(state, incidentId);
  return planIncidentChange(
    state,
    current,
    {
      impactOverride: input.impact,
      update: updateRequestFrom(input, current.status, by, defaultCadenceFor(current.kind, settings)),
      audit: { action: "incident.update", details: input },
    },
    now,
  );
}

/**
 * Stores a timed update, checked now as it would be when posted (status, components), to be applied
 * by the scheduler at `publish_at`. Nothing public changes: no render job, no notification.
 */
export function planScheduleUpdate(
  state: IncidentState,
  incidentId: string,
  input: z.output<typeof postUpdateInput>,
  now: Date,
  by: string,
  settings: SchedulerSettings = NO_SETTINGS,
): Planned<ScheduledUpdateView, IncidentState> {
  assertSchedulable(input, now);
  const current = findIncident(state, incidentId);
  assertTransition(current, input.status ?? current.status);
  const request = updateRequestFrom(input, current.status, by, defaultCadenceFor(current.kind, settings));
  const written = writeUpdate(state, { id: current.id, kind: current.kind, record: current }, request, now);
  const publishAt = new Date(input.publish_at ?? now).toISOString();
  const row = {
    ...written.row,
    displayAt: publishAt,
    publishAt,
    scheduledComponents: Object.fromEntries(written.components),
  };
  return {
    statements: [state.db.insert(incidentUpdates).values(row)],
    audit: {
      action: "update.schedule",
      targetType: "incident_update",
      targetId: row.id,
      details: { ...input, incident_id: incidentId },
    },
    jobs: [],
    view: scheduledUpdateView(row),
    state,
  };
}
