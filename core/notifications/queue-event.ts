import type { Db } from "../../db/client.ts";
import { notificationEvents } from "../../db/schema.ts";
import type { Statement } from "../changes/commit.ts";
import { jobInsert, type OutboxJob, outboxJob } from "../changes/outbox.ts";
import { newId } from "../model/ids.ts";
import type { NotificationKind } from "./events.ts";

/** Something to tell subscribers, as an action plans it. */
export type NewNotificationEvent = {
  kind: NotificationKind;
  /** When it happened (the action's clock). */
  at: string;
  incidentId?: string | null | undefined;
  updateId?: string | null | undefined;
  /** A personal event (confirmation, webhook owner notice) goes to this one subscriber only. */
  subscriberId?: string | null | undefined;
  /** The components it touches; empty: page-wide (every active subscriber). */
  componentIds: string[];
  /** A given id (tests, idempotent planners such as a reminder's): writing it twice writes it once. */
  id?: string | undefined;
};

/**
 * The statement writing an event and its notify job, to put in the action's own batch: the event
 * exists exactly when the change does, and fan-out runs after the commit (flow 3).
 */
export function notificationStatements(
  db: Db,
  event: NewNotificationEvent,
): { eventId: string; statements: Statement[]; jobs: OutboxJob[] } {
  const eventId = event.id ?? newId();
  const insert = db
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
    .onConflictDoNothing();
  return { eventId, statements: [insert], jobs: [notifyJob(eventId)] };
}

/**
 * The same rows as statements only, for a batch that is not a `commitChange` (the sender recording a
 * webhook's outcome).
 */
export function notificationRows(db: Db, event: NewNotificationEvent): { eventId: string; statements: Statement[] } {
  const { eventId, statements, jobs } = notificationStatements(db, event);
  return { eventId, statements: [...statements, ...jobs.map((job) => jobInsert(db, job, event.at))] };
}

/** The fan-out job of one event (dedupe key `notify:<eventId>`). */
export function notifyJob(eventId: string): OutboxJob {
  return outboxJob("notify", { eventId }, { key: eventId });
}
