/**
 * What subscribers can be told about. An event of one of these kinds is written in the batch of the
 * change that caused it, with a `notify` job; fan-out turns it into one delivery per matching subscriber.
 */
export const NOTIFICATION_KINDS = [
  "incident.opened",
  "incident.updated",
  "incident.resolved",
  /** A resolved incident is back: told to everyone who was told it was over. */
  "incident.reopened",
  /** An update promised by "Next update by" is overdue: told to the team, never to subscribers' inboxes. */
  "incident.update_overdue",
  "postmortem.published",
  "maintenance.scheduled",
  "maintenance.rescheduled",
  /** Only its end moved, later (`POST /api/incidents/{id}/extend`, or a reschedule that only extends it). */
  "maintenance.extended",
  "maintenance.reminder",
  "maintenance.started",
  "maintenance.updated",
  "maintenance.completed",
  "maintenance.cancelled",
  /** The double opt-in mail; for one subscriber only, sent while it is still unconfirmed. */
  "subscription.confirm",
  /** Told to a webhook's owner by mail when sustained failure disabled it. */
  "webhook.disabled",
] as const;

export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** Kinds sent to one subscriber, whatever its state or scope (the others go to active, matching subscribers). */
export const PERSONAL_KINDS: readonly NotificationKind[] = ["subscription.confirm", "webhook.disabled"];

/**
 * Kinds told to the team: by mail only as a personal event (to the team address), and otherwise to
 * webhook subscribers only (automation), never to subscribers' inboxes.
 */
export const TEAM_KINDS: readonly NotificationKind[] = ["incident.update_overdue"];
