import { defineAction, type Outcome } from "../actions/define.ts";
import {
  getScheduledUpdate,
  SCHEDULED_UPDATE_GONE,
  scheduledUpdateView,
  takeTimedUpdate,
} from "./scheduled-updates.ts";
import { scheduledUpdateId } from "./schemas.ts";

/** Cancels a timed update before it is published: it is deleted, and the audit row keeps what it said. */
export const cancelScheduledUpdate = defineAction({
  name: "update.schedule_cancel",
  role: "commander",
  doing: "cancel scheduled updates",
  input: scheduledUpdateId,
  conflict: SCHEDULED_UPDATE_GONE,
  async load(ctx, { updateId }) {
    return { stored: await getScheduledUpdate(ctx.db, updateId), db: ctx.db };
  },
  plan({ stored, db }, { updateId }): Outcome<{ outcome: "cancelled" }> {
    const change = {
      statements: takeTimedUpdate(db, updateId),
      audit: {
        action: "update.schedule_cancel",
        targetType: "incident_update",
        targetId: updateId,
        details: { cancelled: scheduledUpdateView(stored.row) },
      },
      jobs: [],
    };
    return { changes: [change], result: { outcome: "cancelled" } };
  },
});
