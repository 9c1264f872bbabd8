import { z } from "zod";
import { defineAction, type Outcome } from "../actions/define.ts";
import type { UpdateStatus } from "../model/statuses.ts";
import type { DeferredResult } from "../scheduler/deferred-runs.ts";
import { loadIncidentState } from "./incident-state.ts";
import { planIncidentChange } from "./plan-incident.ts";
import { dueUpdate, planDiscardTimedUpdate, writtenFromStored } from "./scheduled-updates.ts";
import { transitionRefusal } from "./transition.ts";

/**
 * Publishes a due timed update as it was written, shown at its publish time, notified now. One its
 * incident can no longer take (closed meanwhile, by hand) is discarded and audited (`update.discard`),
 * so no one is told twice. The scheduler runs it (core/scheduler/deferred-runs.ts).
 */
export const publishTimedUpdate = defineAction({
  name: "update.publish",
  role: "commander",
  doing: "publish timed updates",
  input: z.object({ updateId: z.string() }).strict(),
  async load(ctx, { updateId }, now) {
    const row = await dueUpdate(ctx.db, updateId, now);
    return { row, state: await loadIncidentState(ctx.db, row ? [row.incidentId] : []) };
  },
  plan({ row, state }, _input, { now }): Outcome<DeferredResult> {
    const record = row && state.incidents.get(row.incidentId);
    if (!row || !record) return { changes: [], result: { outcome: "gone" } };
    const refusal = transitionRefusal(record, row.status as UpdateStatus);
    if (refusal) {
      return {
        changes: [planDiscardTimedUpdate(state.db, row, refusal)],
        result: { outcome: "refused", reason: refusal },
      };
    }
    const planned = planIncidentChange(
      state,
      record,
      {
        timed: writtenFromStored(row, record.kind, now),
        audit: { action: "update.publish", details: { update_id: row.id, publish_at: row.publishAt } },
      },
      now,
    );
    return { changes: [planned], result: { outcome: "done", id: row.id } };
  },
});
