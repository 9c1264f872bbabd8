import { and, eq, inArray, lte } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { alertDrafts, alertLog, alertRules, notificationEvents } from "../../../db/schema.ts";
import type { ActionContext } from "../../actions/context.ts";
import { HeraldError } from "../../actions/errors.ts";
import { run } from "../../actions/run.ts";
import { type Change, commitChanges } from "../../changes/commit.ts";
import { isStalePlan } from "../../changes/guard.ts";
import { listComponents } from "../../components/load-components.ts";
import { newId } from "../../model/ids.ts";
import { teamRecipient } from "../../scheduler/overdue-reminders.ts";
import { schedulerSettings } from "../../scheduler/settings.ts";
import { AUTOMATION_ACTOR } from "../automation/actor.ts";
import { draftNoticeIds, MAX_DRAFT_REMINDERS } from "./notice-ids.ts";
import { planDraftNotice } from "./notices.ts";
import { autoPublishDraft } from "./publish-draft.ts";
import type { DraftRow } from "./read-drafts.ts";

/** A rule deleted since its draft was made reminds at this pace. */
const DEFAULT_REMIND_MINUTES = 10;
const ATTEMPTS = 3;

export type DraftTimersResult = {
  /** Drafts the team was told of (first notice or a reminder), by id. */
  noticed: string[];
  autoPublished: string[];
  /** Drafts whose auto-publish was refused (a component gone, the text no longer valid): they wait for a person. */
  autoPublishRefused: string[];
};

/**
 * The waiting drafts' timers, run by the scheduler tick: publish the drafts whose rule publishes them when no
 * one acted in time (as the automation, audited `alert_draft.auto_publish`), then tell the team of each draft
 * whose `remind_at` came (first "a draft waits", then at most three reminders, `remind_minutes` apart).
 * Under an escalation policy (`escalating`) only the first notice is the timers': after it, a draft still
 * waiting at its `remind_at` escalates through the policy's levels instead (core/escalation/escalate-drafts.ts).
 * Idempotent across ticks and processes: the events' ids are derived from the draft and the notice's number,
 * and each change is guarded on the draft's `remind_at` as loaded (a second tick plans again and finds nothing).
 */
export async function runDraftTimers(ctx: ActionContext, escalating: boolean): Promise<DraftTimersResult> {
  const result: DraftTimersResult = { noticed: [], autoPublished: [], autoPublishRefused: [] };
  await autoPublishDue(ctx, result);
  for (let attempt = 1; ; attempt++) {
    try {
      result.noticed = await noticeDue(ctx, escalating);
      return result;
    } catch (error) {
      if (!isStalePlan(error) || attempt >= ATTEMPTS) throw error;
    }
  }
}

async function autoPublishDue(ctx: ActionContext, result: DraftTimersResult): Promise<void> {
  const now = ctx.clock.now();
  const due = await ctx.db
    .select()
    .from(alertDrafts)
    .where(and(eq(alertDrafts.state, "waiting"), lte(alertDrafts.autoPublishAt, now.toISOString())));
  for (const draft of due) {
    try {
      await run({ ...ctx, actor: AUTOMATION_ACTOR }, autoPublishDraft, { id: draft.id });
      result.autoPublished.push(draft.id);
    } catch (error) {
      if (!(error instanceof HeraldError)) throw error;
      // Someone acted first: nothing to do. Refused: it waits for a person, and the intake log says why.
      if (error.kind === "conflict") continue;
      await stopAutoPublish(ctx, draft, error.message, now);
      result.autoPublishRefused.push(draft.id);
    }
  }
}

/** A refused auto-publish: the draft waits for a person, without its time, and the audit and intake logs say why. */
async function stopAutoPublish(ctx: ActionContext, draft: DraftRow, why: string, now: Date): Promise<void> {
  const { db } = ctx;
  const at = now.toISOString();
  await commitChanges({ ...ctx, actor: AUTOMATION_ACTOR }, [
    {
      statements: [
        db
          .update(alertDrafts)
          .set({ autoPublishAt: null, updatedAt: at })
          .where(and(eq(alertDrafts.id, draft.id), eq(alertDrafts.state, "waiting"))),
        db.insert(alertLog).values({
          id: newId(),
          at,
          kind: "draft",
          sourceId: null,
          httpStatus: null,
          summary: `Draft “${draft.name}” could not publish by itself: ${why}`,
          details: { draft_id: draft.id, rule_id: draft.ruleId, refused: why },
          idempotencyKey: null,
        }),
      ],
      jobs: [],
      audit: {
        action: "alert_draft.auto_publish_refused",
        targetType: "alert_draft",
        targetId: draft.id,
        details: { refused: why },
      },
    },
  ]);
}

async function noticeDue(ctx: ActionContext, escalating: boolean): Promise<string[]> {
  const now = ctx.clock.now();
  const { db } = ctx;
  const remindable = await db
    .select({ draft: alertDrafts, remindMinutes: alertRules.remindMinutes })
    .from(alertDrafts)
    .leftJoin(alertRules, eq(alertRules.id, alertDrafts.ruleId))
    .where(and(eq(alertDrafts.state, "waiting"), lte(alertDrafts.remindAt, now.toISOString())));
  if (remindable.length === 0) return [];
  const [told, components, settings] = await Promise.all([
    noticesTold(
      db,
      remindable.map((d) => d.draft.id),
    ),
    listComponents(db),
    schedulerSettings(ctx),
  ]);
  const due = escalating ? remindable.filter((d) => (told.get(d.draft.id) ?? 0) === 0) : remindable;
  if (due.length === 0) return [];
  const team = await teamRecipient(db, settings.teamEmail, now);
  const changes: Change[] = due.map(({ draft, remindMinutes }) =>
    planDraftNotice(
      { db, components },
      draft,
      told.get(draft.id) ?? 0,
      remindMinutes ?? DEFAULT_REMIND_MINUTES,
      team?.subscriberId ?? null,
      now,
    ),
  );
  changes[0]?.statements.unshift(...(team?.statements ?? []));
  await commitChanges(ctx, changes);
  return due.map((d) => d.draft.id);
}

/** How many notices each draft's team was given (the next notice's number). */
async function noticesTold(db: Db, draftIds: string[]): Promise<Map<string, number>> {
  const ids = draftIds.flatMap((id) =>
    Array.from({ length: MAX_DRAFT_REMINDERS + 1 }, (_, n) => draftNoticeIds(id, n).webhooks),
  );
  const rows = await db
    .select({ id: notificationEvents.id })
    .from(notificationEvents)
    .where(inArray(notificationEvents.id, ids));
  const present = new Set(rows.map((r) => r.id));
  return new Map(
    draftIds.map((id) => {
      let n = 0;
      while (n <= MAX_DRAFT_REMINDERS && present.has(draftNoticeIds(id, n).webhooks)) n++;
      return [id, n];
    }),
  );
}
