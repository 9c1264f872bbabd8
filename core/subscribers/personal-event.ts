import type { Db } from "../../db/client.ts";
import { jobs, notificationEvents } from "../../db/schema.ts";
import type { Statement } from "../commit.ts";
import { newId } from "../ids.ts";
import type { OutboxJob } from "../outbox.ts";

/**
 * A personal notification event (the double opt-in mail) and its `notify` job, as statements for the
 * action's own batch. Interim: it writes the rows helper "delivery"'s `notificationStatements`
 * (core/notifications/queue-event.ts) writes, with the same dedupe key; swap to that once it is on main.
 */
export function confirmationStatements(
  db: Db,
  subscriberId: string,
  at: string,
): { eventId: string; statements: Statement[]; jobs: OutboxJob[] } {
  const eventId = newId();
  return {
    eventId,
    statements: [
      db.insert(notificationEvents).values({
        id: eventId,
        kind: "subscription.confirm",
        subscriberId,
        componentIds: [],
        createdAt: at,
      }),
      db
        .insert(jobs)
        .values({
          id: newId(),
          kind: "notify",
          dedupeKey: `notify:${eventId}`,
          payload: { eventId },
          runAt: at,
          createdAt: at,
        })
        .onConflictDoNothing({ target: jobs.dedupeKey }),
    ],
    jobs: [],
  };
}
