import { page } from "../../../db/schema.ts";
import type { ActionContext } from "../../actions/context.ts";
import type { Change } from "../../changes/commit.ts";
import { commitChanges } from "../../changes/commit.ts";
import { failUnlessChanged, isStalePlan } from "../../changes/guard.ts";
import type { ComponentRow } from "../../model/rows.ts";
import { componentsOfEvent } from "../../notifications/events-from-changes.ts";
import { notificationStatements } from "../../notifications/queue-event.ts";
import { sunsetEventId } from "./event-ids.ts";
import { endedSubscriptionChanges, planSunset } from "./plan-sunset.ts";
import { deprecatedComponents, loadSunsetState } from "./sunset-state.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

/** What the scheduler's retirement step did (component ids). */
export type SunsetTickResult = { sunsetReminded: string[]; sunset: string[] };

/**
 * The scheduler's step for deprecated components: on `sunset_at` each is sunset (plan-sunset.ts);
 * `sunset_reminder_days` before it, its subscribers are reminded once (unless it was deprecated inside
 * that window: the deprecation mail was the reminder). Each component is its own guarded batch with
 * derived event ids, so a second process ticking at once commits nothing twice.
 */
export async function sunsetTick(ctx: ActionContext): Promise<SunsetTickResult> {
  const now = ctx.clock.now();
  const result: SunsetTickResult = { sunsetReminded: [], sunset: [] };
  const deprecated = await deprecatedComponents(ctx.db);
  if (deprecated.length === 0) return result;
  const [settings] = await ctx.db.select({ days: page.sunsetReminderDays }).from(page).limit(1);
  const days = settings?.days ?? 14;
  for (const row of deprecated) {
    const sunsetAt = new Date(row.sunsetAt ?? 0);
    if (sunsetAt <= now) {
      if (await commitOnce(ctx, () => sunsetChanges(ctx, row.id, now))) result.sunset.push(row.id);
    } else if (reminderDue(row, days, now)) {
      if (await commitOnce(ctx, () => reminderChanges(ctx, row, now))) result.sunsetReminded.push(row.id);
    }
  }
  return result;
}

async function sunsetChanges(ctx: ActionContext, id: string, now: Date): Promise<Change[]> {
  const state = await loadSunsetState(ctx.db, id, true);
  if (state.component.stage !== "deprecated") return [];
  return [planSunset(state, now, ctx.actor), ...endedSubscriptionChanges(state)];
}

function reminderDue(row: ComponentRow, days: number, now: Date): boolean {
  if (days <= 0) return false;
  const remindAt = new Date(row.sunsetAt ?? 0).getTime() - days * DAY_MS;
  if (now.getTime() < remindAt) return false;
  return new Date(row.deprecatedAt ?? 0).getTime() < remindAt;
}

/** The reminder's event, guarded by its own derived id: written once, else the batch (and its audit) fails. */
async function reminderChanges(ctx: ActionContext, row: ComponentRow, now: Date): Promise<Change[]> {
  const state = await loadSunsetState(ctx.db, row.id);
  const event = notificationStatements(ctx.db, {
    kind: "component.sunset_reminder",
    id: sunsetEventId("reminder", row),
    at: now.toISOString(),
    componentIds: componentsOfEvent({ componentIds: [row.id] }, state.components),
  });
  return [
    {
      statements: [...event.statements, failUnlessChanged(ctx.db)],
      jobs: event.jobs,
      audit: {
        action: "component.sunset_reminder",
        targetType: "component",
        targetId: row.id,
        details: { sunset_at: row.sunsetAt },
      },
    },
  ];
}

/** Commits one component's changes; false when there was nothing to do or another process did it first. */
async function commitOnce(ctx: ActionContext, plan: () => Promise<Change[]>): Promise<boolean> {
  const changes = await plan();
  if (changes.length === 0) return false;
  try {
    await commitChanges(ctx, changes);
    return true;
  } catch (error) {
    if (isStalePlan(error)) return false;
    throw error;
  }
}
