import { and, eq } from "drizzle-orm";
import type { z } from "zod";
import { scheduledOpenings } from "../../db/schema.ts";
import { requireRole } from "../actions/authorize.ts";
import type { ActionContext } from "../actions/context.ts";
import { invalid } from "../actions/errors.ts";
import { parseInput } from "../actions/validation.ts";
import type { Planned } from "../changes/commit.ts";
import { failUnlessChanged } from "../changes/guard.ts";
import { newId } from "../model/ids.ts";
import type { SchedulerSettings } from "../scheduler/settings.ts";
import { commitGuarded } from "./commit-guarded.ts";
import type { IncidentState } from "./incident-state.ts";
import { planOpenIncident } from "./plan-open-incident.ts";
import {
  getScheduledOpening,
  type ScheduledOpeningView,
  scheduledOpeningView,
  takeOpening,
} from "./scheduled-openings.ts";
import { type openIncidentInput, rescheduleOpeningInput } from "./schemas.ts";

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
    statements: [state.db.insert(scheduledOpenings).values(row)],
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
export async function rescheduleOpening(
  ctx: ActionContext,
  id: string,
  rawInput: unknown,
): Promise<ScheduledOpeningView> {
  requireRole(ctx, "commander", "reschedule incidents");
  const input = parseInput(rescheduleOpeningInput, rawInput);
  const stored = await getScheduledOpening(ctx.db, id);
  const now = ctx.clock.now();
  const row = { ...stored, publishAt: futureTime(input.publish_at, now), failure: null, updatedAt: now.toISOString() };
  await commitGuarded(
    ctx,
    {
      statements: [
        ctx.db
          .update(scheduledOpenings)
          .set({ publishAt: row.publishAt, failure: null, updatedAt: row.updatedAt })
          .where(and(eq(scheduledOpenings.id, id), eq(scheduledOpenings.updatedAt, stored.updatedAt))),
        failUnlessChanged(ctx.db),
      ],
      audit: {
        action: "incident.schedule_open_move",
        targetType: "scheduled_opening",
        targetId: id,
        details: { from: stored.publishAt, to: row.publishAt },
      },
      jobs: [],
    },
    GONE,
  );
  return scheduledOpeningView(row);
}

/** Cancels a scheduled opening: it is deleted, and the audit row keeps what it would have said. */
export async function cancelScheduledOpening(ctx: ActionContext, id: string): Promise<void> {
  requireRole(ctx, "commander", "cancel scheduled incidents");
  const stored = await getScheduledOpening(ctx.db, id);
  await commitGuarded(
    ctx,
    {
      statements: takeOpening(ctx.db, id),
      audit: {
        action: "incident.schedule_open_cancel",
        targetType: "scheduled_opening",
        targetId: id,
        details: { cancelled: scheduledOpeningView(stored) },
      },
      jobs: [],
    },
    GONE,
  );
}
