import { z } from "zod";
import { defineAction, type Outcome } from "../actions/define.ts";
import type { DeferredResult } from "../scheduler/deferred-runs.ts";
import { schedulerSettings } from "../scheduler/settings.ts";
import { loadIncidentState } from "./incident-state.ts";
import { dueOpening, planPublishOpening } from "./stored-openings.ts";

/**
 * Opens a due scheduled incident as its author asked, shown at its publish time; when its request no
 * longer holds, the opening is marked failed with the reason instead. The scheduler runs it
 * (core/scheduler/deferred-runs.ts).
 */
export const openScheduledIncident = defineAction({
  name: "incident.open_scheduled",
  role: "commander",
  doing: "open scheduled incidents",
  input: z.object({ openingId: z.string() }).strict(),
  async load(ctx, { openingId }, now) {
    const [row, state, settings] = await Promise.all([
      dueOpening(ctx.db, openingId, now),
      loadIncidentState(ctx.db),
      schedulerSettings(ctx),
    ]);
    return { row, state, settings };
  },
  plan({ row, state, settings }, _input, { now }): Outcome<DeferredResult> {
    if (!row) return { changes: [], result: { outcome: "gone" } };
    const opening = planPublishOpening(state, row, now, settings);
    if (opening.outcome === "failed") {
      return { changes: [opening.change], result: { outcome: "refused", reason: opening.reason } };
    }
    return { changes: [opening.planned], result: { outcome: "done", id: opening.planned.view.id } };
  },
});
