import { and, eq, inArray, isNotNull, lte } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { alertDrafts, notificationEvents } from "../../../db/schema.ts";
import { listComponents } from "../../components/load-components.ts";
import type { LapsedPromise } from "../../escalation/notice.ts";
import { componentsOfEvent } from "../../notifications/events-from-changes.ts";
import { draftNoticeIds } from "./notice-ids.ts";

/**
 * The waiting drafts that escalate under a policy: the team was told the draft waits (its first notice) and
 * its `remind_at`, the rule's `remind_minutes` later, has passed. The promise is "someone acts before
 * `remind_at`"; it stays the escalation's key (a draft under a policy keeps its `remind_at` while it waits).
 */
export async function lapsedDrafts(db: Db, now: Date): Promise<LapsedPromise[]> {
  const due = await db
    .select({ id: alertDrafts.id, remindAt: alertDrafts.remindAt, components: alertDrafts.components })
    .from(alertDrafts)
    .where(
      and(
        eq(alertDrafts.state, "waiting"),
        isNotNull(alertDrafts.remindAt),
        lte(alertDrafts.remindAt, now.toISOString()),
      ),
    );
  if (due.length === 0) return [];
  const [announced, components] = await Promise.all([
    db
      .select({ id: notificationEvents.id })
      .from(notificationEvents)
      .where(
        inArray(
          notificationEvents.id,
          due.map((d) => draftNoticeIds(d.id, 0).webhooks),
        ),
      ),
    listComponents(db),
  ]);
  const told = new Set(announced.map((e) => e.id));
  return due.flatMap((draft) =>
    draft.remindAt && told.has(draftNoticeIds(draft.id, 0).webhooks)
      ? [
          {
            subject: { type: "draft" as const, id: draft.id },
            dueAt: draft.remindAt,
            commanderId: null,
            componentIds: componentsOfEvent({ componentIds: Object.keys(draft.components) }, components),
          },
        ]
      : [],
  );
}
