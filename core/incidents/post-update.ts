import { z } from "zod";
import { defineAction, type Outcome } from "../actions/define.ts";
import { parseInput } from "../actions/validation.ts";
import type { Planned } from "../changes/commit.ts";
import { defaultCadenceFor, NO_SETTINGS, type SchedulerSettings, schedulerSettings } from "../scheduler/settings.ts";
import { requestFromTemplate } from "../templates/resolve.ts";
import { postUpdateRequest } from "../templates/schemas.ts";
import type { AdminIncident } from "./admin-incident.ts";
import { findIncident, type IncidentState, loadIncidentState } from "./incident-state.ts";
import { type PlannedIncidentChange, planIncidentChange } from "./plan-incident.ts";
import {
  assertSchedulable,
  insertTimedUpdate,
  type ScheduledUpdateView,
  scheduledUpdateView,
} from "./scheduled-updates.ts";
import { postUpdateInput } from "./schemas.ts";
import { assertTransition } from "./transition.ts";
import { updateRequestFrom, writeUpdate } from "./update-rules.ts";

const postOrScheduleInput = postUpdateRequest.extend({ id: z.string().describe("the incident's id") });

export type PostUpdateResult =
  | { outcome: "posted"; incident: AdminIncident }
  | { outcome: "scheduled"; update: ScheduledUpdateView };

/**
 * Posts an update to an incident, from a template when the request names one; a closing status resolves
 * it and returns its components to operational. With a future `publish_at` it is stored as a timed
 * update instead (checked now as it would be when posted; on no page, feed or inbox until the scheduler
 * publishes it).
 */
export const postUpdate = defineAction({
  name: "update.post",
  role: "commander",
  doing: "post incident updates",
  input: postOrScheduleInput,
  async load(ctx, { id, ...request }, now) {
    const input = parseInput(postUpdateInput, await requestFromTemplate(ctx.db, request, id, now));
    const [state, settings] = await Promise.all([loadIncidentState(ctx.db, [id]), schedulerSettings(ctx)]);
    return { input, state, settings };
  },
  plan({ input, state, settings }, { id }, { now, actor }): Outcome<PostUpdateResult> {
    if (input.publish_at) {
      const planned = planScheduleUpdate(state, id, input, now, actor.name, settings);
      return { changes: [planned], result: { outcome: "scheduled", update: planned.view } };
    }
    const planned = planPostUpdate(state, id, input, now, actor.name, settings);
    return { changes: [planned], result: { outcome: "posted", incident: planned.view } };
  },
});

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
    statements: [insertTimedUpdate(state.db, row)],
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
