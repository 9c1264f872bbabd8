import { defineAction, type Outcome } from "../actions/define.ts";
import { scheduledOpeningId } from "./schemas.ts";
import { getScheduledOpening, OPENING_GONE, scheduledOpeningView, takeOpening } from "./stored-openings.ts";

/** Cancels a scheduled opening: it is deleted, and the audit row keeps what it would have said. */
export const cancelScheduledOpening = defineAction({
  name: "incident.schedule_open_cancel",
  role: "commander",
  doing: "cancel scheduled incidents",
  input: scheduledOpeningId,
  conflict: OPENING_GONE,
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
