import type { z } from "zod";
import type { ActionContext } from "../actions/context.ts";
import { parseInput } from "../actions/validation.ts";
import type { UpdateRecord } from "../model/rows.ts";
import { schedulerSettings } from "../scheduler/settings.ts";
import { loadIncidentState } from "./incident-state.ts";
import type { PlannedIncidentChange } from "./plan-incident.ts";
import { planOpenIncident } from "./plan-open-incident.ts";
import { planPostUpdate } from "./post-update.ts";
import { openIncidentInput, postUpdateInput } from "./schemas.ts";

/**
 * A maintenance window not filled in yet: "refuse" as posting does, or "placeholder" (the console's
 * preview of a maintenance before its window is chosen), planned as if it ran from an hour from now.
 */
export type UnsetWindow = "refuse" | "placeholder";

const HOUR_MS = 60 * 60 * 1000;

/**
 * Plans the post a preview shows from its resolved request (a template already filled in): opening an
 * incident, or with `incidentId` an update of it, exactly as `openIncident` / `postUpdate` would plan
 * it now (same checks, same refusals: 409 on a closed incident, 422 on a bad display_at or a
 * maintenance-only field on an incident), and commits nothing.
 */
export async function planPostPreview(
  ctx: ActionContext,
  resolved: unknown,
  incidentId: string | null,
  now: Date,
  unsetWindow: UnsetWindow = "refuse",
): Promise<PlannedIncidentChange> {
  const by = ctx.actor.name;
  if (incidentId !== null) {
    const input = parseInput(postUpdateInput.omit({ publish_at: true }), resolved);
    const [state, settings] = await Promise.all([loadIncidentState(ctx.db, [incidentId]), schedulerSettings(ctx)]);
    return planPostUpdate(state, incidentId, input, now, by, settings);
  }
  const parsed = parseInput(openIncidentInput, resolved);
  const input = unsetWindow === "placeholder" ? withPlaceholderWindow(parsed, now) : parsed;
  const [state, settings] = await Promise.all([loadIncidentState(ctx.db), schedulerSettings(ctx)]);
  return planOpenIncident(state, input, now, by, settings);
}

/** The update a planned post writes (every post plans one). */
export function plannedUpdate(planned: PlannedIncidentChange): UpdateRecord {
  const update = planned.record.updates.find((u) => u.id === planned.notice.updateId);
  if (!update) throw new Error("a previewed post plans an update");
  return update;
}

/**
 * A maintenance whose window is not (fully) given, with the missing end(s) filled in (from now+1h to
 * now+2h when neither is given), never where the plan would refuse them: only the given ends can be
 * refused. Only the plan sees this window: the text was filled in before, so it says "(not scheduled yet)".
 */
function withPlaceholderWindow(
  input: z.output<typeof openIncidentInput>,
  now: Date,
): z.output<typeof openIncidentInput> {
  if (input.kind !== "maintenance" || (input.scheduled_for && input.scheduled_until)) return input;
  const nowMs = now.getTime();
  const givenEnd = input.scheduled_until ? Date.parse(input.scheduled_until) : Number.POSITIVE_INFINITY;
  const start = input.scheduled_for ?? iso(Math.max(nowMs, Math.min(nowMs + HOUR_MS, givenEnd - HOUR_MS)));
  const end = input.scheduled_until ?? iso(Math.max(Date.parse(start), nowMs) + HOUR_MS);
  return { ...input, scheduled_for: start, scheduled_until: end };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
