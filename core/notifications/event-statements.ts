import type { Db } from "../../db/client.ts";
import { jobs, notificationEvents } from "../../db/schema.ts";
import type { Statement } from "../commit.ts";
import { newId } from "../ids.ts";
import type { OutboxJob } from "../outbox.ts";
import type { NotificationKind } from "./kinds.ts";

/**
 * Interim stand-in for helper "delivery"'s `core/notifications/queue-event.ts` (same signature), until
 * the `notify` job kind is on main: the event row and its notify job row, for the action's own batch.
 * `onConflictDoNothing` on both: an event with a derived id (a reminder) planned twice is written once.
 */
export function notificationStatements(
  db: Db,
  event: {
    kind: NotificationKind;
    at: string;
    incidentId?: string | null | undefined;
    updateId?: string | null | undefined;
    subscriberId?: string | null | undefined;
    componentIds: string[];
    id?: string | undefined;
  },
): { eventId: string; statements: Statement[]; jobs: OutboxJob[] } {
  const eventId = event.id ?? newId();
  return {
    eventId,
    statements: [
      db
        .insert(notificationEvents)
        .values({
          id: eventId,
          kind: event.kind,
          incidentId: event.incidentId ?? null,
          updateId: event.updateId ?? null,
          subscriberId: event.subscriberId ?? null,
          componentIds: [...new Set(event.componentIds)],
          createdAt: event.at,
        })
        .onConflictDoNothing(),
      db
        .insert(jobs)
        .values({
          id: newId(),
          kind: "notify",
          dedupeKey: `notify:${eventId}`,
          payload: { eventId },
          runAt: event.at,
          createdAt: event.at,
        })
        .onConflictDoNothing({ target: jobs.dedupeKey }),
    ],
    jobs: [],
  };
}
