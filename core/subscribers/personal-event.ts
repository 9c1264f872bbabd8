import type { Db } from "../../db/client.ts";
import type { Statement } from "../changes/commit.ts";
import type { OutboxJob } from "../changes/outbox.ts";
import { notificationStatements } from "../notifications/queue-event.ts";

/** The double opt-in mail to one subscriber (a personal event and its notify job), for the action's own batch. */
export function confirmationStatements(
  db: Db,
  subscriberId: string,
  at: string,
): { eventId: string; statements: Statement[]; jobs: OutboxJob[] } {
  return notificationStatements(db, { kind: "subscription.confirm", subscriberId, at, componentIds: [] });
}
