/** What escalates: an incident's lapsed promise of a next update, or an alert draft left waiting. */
export type EscalationSubject = { type: "incident" | "draft"; id: string };

/** Each subject's event-id letters: an incident's are the overdue reminder's (`o`), a draft's its notices' (`ad`). */
const PREFIX = { incident: "o", draft: "ad" } as const;

/**
 * Ids derived from the subject and the promised time, so two ticks (or two processes) planning the same
 * notice write it once: the escalation's row, and each level's events (the prefixes keep
 * `lapsedPromiseOf` in core/scheduler/overdue-reminders.ts and `draftNoticeOf` in core/alerts/drafts/
 * telling their own events from a level's: a level's id has the stamp and the level after the subject).
 */
export function escalationId(subject: EscalationSubject, dueAt: string): string {
  return `${subject.type === "incident" ? "ei" : "ed"}-${subject.id}-${stamp(dueAt)}`;
}

export function levelNoticeIds(
  subject: EscalationSubject,
  dueAt: string,
  level: number,
): { webhooks: string; team: string; person: (personId: string) => string } {
  const letters = PREFIX[subject.type];
  const base = `${subject.id}-${stamp(dueAt)}-${level}`;
  return {
    webhooks: `${letters}-${base}`,
    team: `${letters}t-${base}`,
    person: (personId) => `${letters}e-${base}-${personId}`,
  };
}

/** The subject, the promise and the level an escalation notice's event (by its id) is about; null for any other event. */
export function levelNoticeOf(
  eventId: string,
): { subject: EscalationSubject; due: string; level: number; letters: string } | null {
  const match = /^(o|ad)[te]?-([0-9a-z]+)-([0-9a-z]+)-(\d+)(?:-[0-9a-z]+)?$/.exec(eventId);
  if (!match?.[1] || !match[2] || !match[3] || !match[4]) return null;
  const type = match[1] === "o" ? "incident" : "draft";
  return { subject: { type, id: match[2] }, due: match[3], level: Number(match[4]), letters: match[1] };
}

function stamp(at: string): string {
  return new Date(at).getTime().toString(36);
}
