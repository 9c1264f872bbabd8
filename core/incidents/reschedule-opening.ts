import { defineAction, type Outcome } from "../actions/define.ts";
import { futureTime } from "./schedule-opening.ts";
import { rescheduleOpeningInput } from "./schemas.ts";
import {
  getScheduledOpening,
  moveOpening,
  OPENING_GONE,
  type ScheduledOpeningView,
  scheduledOpeningView,
} from "./stored-openings.ts";

/** Moves a scheduled opening to another time (a failed one is tried again at it). */
export const rescheduleOpening = defineAction({
  name: "incident.schedule_open_move",
  role: "commander",
  doing: "reschedule incidents",
  input: rescheduleOpeningInput,
  conflict: OPENING_GONE,
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
