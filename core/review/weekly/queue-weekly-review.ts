import { and, eq, isNull } from "drizzle-orm";
import { notificationEvents, people } from "../../../db/schema.ts";
import type { ActionContext } from "../../actions/context.ts";
import { type Change, commitChanges, type Statement } from "../../changes/commit.ts";
import { failUnlessChanged, isStalePlan } from "../../changes/guard.ts";
import type { OutboxJob } from "../../changes/outbox.ts";
import { addressRecipient } from "../../escalation/address-recipient.ts";
import { notificationStatements } from "../../notifications/queue-event.ts";
import { getPage } from "../../page/get-page.ts";
import { teamRecipient } from "../../scheduler/overdue-reminders.ts";
import { schedulerSettings } from "../../scheduler/settings.ts";
import { dueWeeklyReview, weeklyReviewIds } from "./schedule.ts";

/**
 * The scheduler's part of the weekly review (core/scheduler/tick.ts): when the page's day and hour have come,
 * queues the week's `review.weekly` events (the team's webhooks, the team address, each admin who is not
 * removed) in one batch with its audit line. Once per week: the events' ids derive from the ISO week, and the
 * first event's insert is guarded, so a second tick, runner or the Worker's cron commits nothing. Returns the
 * week it queued, or null. The mail's figures are computed when it is built (`weeklyReviewMailView`).
 */
export async function queueWeeklyReview(ctx: ActionContext): Promise<string | null> {
  const now = ctx.clock.now();
  const { db } = ctx;
  const page = await getPage(db);
  const due = dueWeeklyReview(now, page);
  if (!due) return null;
  const webhooksId = weeklyReviewIds.webhooks(due.week);
  const [sent] = await db
    .select({ id: notificationEvents.id })
    .from(notificationEvents)
    .where(eq(notificationEvents.id, webhooksId));
  if (sent) return null;

  const at = now.toISOString();
  const base = { kind: "review.weekly" as const, at, componentIds: [] };
  const settings = await schedulerSettings(ctx);
  const team = await teamRecipient(db, settings.teamEmail, now);
  const admins = await db
    .select({ id: people.id, email: people.email })
    .from(people)
    .where(and(eq(people.role, "admin"), isNull(people.removedAt)));
  const statements: Statement[] = [];
  const jobs: OutboxJob[] = [];
  const add = (planned: { statements: Statement[]; jobs: OutboxJob[] }) => {
    statements.push(...planned.statements);
    jobs.push(...planned.jobs);
  };
  add(notificationStatements(db, { ...base, id: webhooksId }));
  // Another process queued this week's review first: this batch commits nothing.
  statements.push(failUnlessChanged(db));
  if (team) {
    statements.push(...team.statements);
    add(notificationStatements(db, { ...base, id: weeklyReviewIds.team(due.week), subscriberId: team.subscriberId }));
  }
  const mailed: string[] = [];
  for (const admin of admins) {
    // The team address already gets it: one mail to that inbox, not two.
    if (admin.email === settings.teamEmail) continue;
    const recipient = await addressRecipient(db, admin.email, now);
    statements.push(...recipient.statements);
    add(
      notificationStatements(db, {
        ...base,
        id: weeklyReviewIds.admin(due.week, admin.id),
        subscriberId: recipient.subscriberId,
      }),
    );
    mailed.push(admin.id);
  }
  const change: Change = {
    statements,
    jobs,
    audit: {
      action: "review.weekly",
      targetType: "page",
      targetId: page.id,
      details: { week: due.week, period: due.period, team_mailed: team !== null, admins_mailed: mailed },
    },
  };
  try {
    await commitChanges(ctx, [change]);
  } catch (error) {
    if (isStalePlan(error)) return null;
    throw error;
  }
  return due.week;
}
