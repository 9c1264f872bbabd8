import { requireRole } from "../authorize.ts";
import { commitChange } from "../commit.ts";
import type { ActionContext } from "../context.ts";
import { invalid } from "../errors.ts";
import type { AdminIncident } from "../public/admin.ts";
import { schedulerSettings } from "../scheduler/settings.ts";
import { requestFromTemplate } from "../templates/resolve.ts";
import { parseInput } from "../validation.ts";
import { loadIncidentState } from "./incident-state.ts";
import { planOpenIncident } from "./plan-open-incident.ts";
import { planScheduleOpening } from "./schedule-opening.ts";
import type { ScheduledOpeningView } from "./scheduled-openings.ts";
import { openIncidentInput, publishAtField } from "./schemas.ts";

const openOrScheduleInput = openIncidentInput.extend({ publish_at: publishAtField.optional() });

/**
 * Opens an incident, or schedules a maintenance, with its first update and component changes; from a
 * template when the request names one (its own fields override the template's).
 */
export async function openIncident(ctx: ActionContext, rawInput: unknown): Promise<AdminIncident> {
  const result = await openOrScheduleIncident(ctx, rawInput, { later: false });
  if ("request" in result) throw new Error("openIncident stored a scheduled opening");
  return result;
}

/**
 * What `POST /api/incidents` does: opens the incident now or, with a future `publish_at`, keeps it as a
 * scheduled opening (checked now as it would be when opened) that the scheduler opens at that time.
 */
export async function openOrScheduleIncident(
  ctx: ActionContext,
  rawInput: unknown,
  options: { later?: boolean } = {},
): Promise<AdminIncident | ScheduledOpeningView> {
  requireRole(ctx, "commander", "open incidents");
  const now = ctx.clock.now();
  const { publish_at, ...input } = parseInput(
    openOrScheduleInput,
    await requestFromTemplate(ctx.db, rawInput, null, now),
  );
  if (publish_at && options.later === false) {
    throw invalid("This call opens now; leave out publish_at.", [{ path: "publish_at", message: "not accepted here" }]);
  }
  const [state, settings] = await Promise.all([loadIncidentState(ctx.db), schedulerSettings(ctx)]);
  const planned = publish_at
    ? planScheduleOpening(state, input, publish_at, now, ctx.actor.name, settings)
    : planOpenIncident(state, input, now, ctx.actor.name, settings);
  await commitChange(ctx, planned);
  return planned.view;
}
