import type { z } from "zod";
import { defineAction, type Outcome } from "../actions/define.ts";
import { invalid } from "../actions/errors.ts";
import type { Planned } from "../changes/commit.ts";
import { newId } from "../model/ids.ts";
import type { SchedulerSettings } from "../scheduler/settings.ts";
import type { IncidentState } from "./incident-state.ts";
import { planOpenIncident } from "./plan-open-incident.ts";
import {
  getScheduledOpening,
  insertOpening,
  moveOpening,
  type ScheduledOpeningView,
  scheduledOpeningView,
  takeOpening,
} from "./scheduled-openings.ts";
import { type openIncidentInput, rescheduleOpeningInput, scheduledOpeningId } from "./schemas.ts";

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

function futureTime(publishAt: string, now: Date): string {
  const at = new Date(publishAt);
  if (at.getTime() <= now.getTime()) {
    throw invalid("publish_at must be in the future.", [{ path: "publish_at", message: "must be in the future" }]);
  }
  return at.toISOString();
}

const GONE = "The incident was opened or cancelled meanwhile; nothing was changed.";

/** Moves a scheduled opening to another time (a failed one is tried again at it). */
export const rescheduleOpening = defineAction({
  name: "incident.schedule_open_move",
  role: "commander",
  doing: "reschedule incidents",
  input: rescheduleOpeningInput,
  conflict: GONE,
  async load(ctx, { openingId }) {
    return { stored: await getScheduledOpening(ctx.db, openingId), db: ctx.db };
  },
  plan({ stored, db }, { openingId, publish_at }, { now }): Outcome<ScheduledOpeningView> {
    const row = { ...stored, publishAt: futureTime(publish_at, now), failure: null, updatedAt: now.toISOString() };
    const change = {
      statements: moveOpening(db, stored, row.publishAt, row.updatedAt),
      audit: {
        action: "incident.schedule_open_move",
        targetType: "scheduled_opening",
        targetId: openingId,
        details: { from: stored.publishAt, to: row.publishAt },
      },
      jobs: [],
    };
    return { changes: [change], result: scheduledOpeningView(row) };
  },
});

/** Cancels a scheduled opening: it is deleted, and the audit row keeps what it would have said. */
export const cancelScheduledOpening = defineAction({
  name: "incident.schedule_open_cancel",
  role: "commander",
  doing: "cancel scheduled incidents",
  input: scheduledOpeningId,
  conflict: GONE,
  async load(ctx, { openingId }) {
    return { stored: await getScheduledOpening(ctx.db, openingId), db: ctx.db };
  },
  plan({ stored, db }, { openingId }): Outcome<{ outcome: "cancelled" }> {
    const change = {
      statements: takeOpening(db, openingId),
      audit: {
        action: "incident.schedule_open_cancel",
        targetType: "scheduled_opening",
        targetId: openingId,
        details: { cancelled: scheduledOpeningView(stored) },
      },
      jobs: [],
    };
    return { changes: [change], result: { outcome: "cancelled" } };
  },
});
