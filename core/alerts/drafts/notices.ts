import { and, eq } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { alertDrafts } from "../../../db/schema.ts";
import type { Change } from "../../changes/commit.ts";
import { failUnlessChanged } from "../../changes/guard.ts";
import type { ComponentRow } from "../../model/rows.ts";
import { componentsOfEvent } from "../../notifications/events-from-changes.ts";
import { notificationStatements } from "../../notifications/queue-event.ts";
import { draftNoticeIds, MAX_DRAFT_REMINDERS } from "./notice-ids.ts";
import type { DraftRow } from "./read-drafts.ts";

/**
 * The team's notice `n` of a waiting draft (0: `alert.draft_waiting`, later `alert.draft_reminder`): an event
 * for the team's webhooks and, with a team address, one addressed to it (exactly as an overdue update's
 * reminder), and the draft's next `remind_at` (`remindMinutes` on; none after the last reminder). Guarded on
 * `remind_at` as loaded, so a second process planning the same notice commits nothing.
 */
export function planDraftNotice(
  state: { db: Db; components: ComponentRow[] },
  draft: DraftRow,
  n: number,
  remindMinutes: number,
  teamSubscriberId: string | null,
  now: Date,
): Change {
  const { db } = state;
  const at = now.toISOString();
  const next = n < MAX_DRAFT_REMINDERS ? new Date(now.getTime() + remindMinutes * 60_000).toISOString() : null;
  const guard = [
    db
      .update(alertDrafts)
      .set({ remindAt: next })
      .where(
        and(
          eq(alertDrafts.id, draft.id),
          eq(alertDrafts.state, "waiting"),
          eq(alertDrafts.remindAt, draft.remindAt ?? ""),
        ),
      ),
    failUnlessChanged(db),
  ];
  const audit = {
    action: n === 0 ? "alert_draft.waiting_notice" : "alert_draft.reminder",
    targetType: "alert_draft",
    targetId: draft.id,
    details: { notice: n, next_remind_at: next, team_mailed: teamSubscriberId !== null },
  };
  // Every notice already given (a draft left with a remind_at by an older Herald): only stop reminding.
  if (n > MAX_DRAFT_REMINDERS) return { statements: guard, jobs: [], audit };
  const ids = draftNoticeIds(draft.id, n);
  const kind = n === 0 ? ("alert.draft_waiting" as const) : ("alert.draft_reminder" as const);
  const webhooks = notificationStatements(db, {
    kind,
    at,
    id: ids.webhooks,
    componentIds: componentsOfEvent({ componentIds: Object.keys(draft.components) }, state.components),
  });
  const mail = teamSubscriberId
    ? notificationStatements(db, { kind, at, id: ids.team, subscriberId: teamSubscriberId, componentIds: [] })
    : null;
  return {
    statements: [...guard, ...webhooks.statements, ...(mail?.statements ?? [])],
    jobs: [...webhooks.jobs, ...(mail?.jobs ?? [])],
    audit,
  };
}
