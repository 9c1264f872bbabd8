/**
 * Findings the consistency check makes today that another branch of issue 19 fixes. The short run in
 * `npm test` tolerates only these (each finding names its bug); the soak reports them all. Delete an
 * entry once its branch is merged: the check then holds the fix.
 */
export const KNOWN_BUGS = {
  "team-only-reaches-subscribers": {
    branch: "contract",
    what: "incident.update_overdue (a team-only kind) is sent to every webhook subscriber",
  },
  "resolve-resolved-accepted": {
    branch: "transitions",
    what: "resolving a resolved incident is accepted (201, a second resolved update) instead of a 409",
  },
  "complete-completed-accepted": {
    branch: "transitions",
    what: "completing a completed maintenance is accepted instead of a 409",
  },
  "cancel-cancelled-accepted": {
    branch: "transitions",
    what: "cancelling a cancelled maintenance is accepted instead of a 409",
  },
  "no-reopen-action": {
    branch: "transitions",
    what: "POST /api/incidents/{id}/reopen does not exist (404), so a reopen tells subscribers incident.updated",
  },
  "reminder-inside-window": {
    branch: "transitions",
    what: "a maintenance announced inside its reminder window still sends a reminder",
  },
  "template-without-components": {
    branch: "transitions",
    what: "a scenario template (component_status set) is accepted without components",
  },
  "one-instant-two-ways": {
    branch: "present",
    what: 'one instant is written two ways on the same page (e.g. "13:46 UTC" and "Nov 26, 2026, 13:46 UTC" on the index)',
  },
  "webhook-unsubscribe-link": {
    branch: "none yet (reported in the consistency closing note; webhooks owns the payload)",
    what: "a webhook payload's meta.unsubscribe is the public /subscribe/ page for every webhook, not a signed link that unsubscribes it",
  },
  "events-of-one-tick-out-of-order": {
    branch: "none yet (reported in the consistency closing note; jobs/notify/sender.ts sends concurrently)",
    what: "two events about one maintenance from one tick (started, completed) can reach a subscriber completed first",
  },
  "reschedule-same-window-accepted": {
    branch:
      "none yet (reported in the consistency closing note; the bad-input corpus repeats one reschedule, so a 422 needs it changed too)",
    what: "rescheduling a maintenance to the window it already has is accepted: the stock 'rescheduled' text goes to every subscriber as maintenance.updated",
  },
} as const satisfies Record<string, { branch: string; what: string }>;

export type KnownBug = keyof typeof KNOWN_BUGS;
