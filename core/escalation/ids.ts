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

/**
 * The subject, the promise and the level an escalation notice's event (by its id) is about, and the person it
 * was for (a personal notice's id ends with their id); null for any other event.
 */
export function levelNoticeOf(
  eventId: string,
): { subject: EscalationSubject; due: string; level: number; letters: string; personId: string | null } | null {
  const match = /^(o|ad)([te]?)-([0-9a-z]+)-([0-9a-z]+)-(\d+)(?:-([0-9a-z]+))?$/.exec(eventId);
  if (!match?.[1] || !match[3] || !match[4] || !match[5]) return null;
  const type = match[1] === "o" ? "incident" : "draft";
  const personId = match[2] === "e" ? (match[6] ?? null) : null;
  return { subject: { type, id: match[3] }, due: match[4], level: Number(match[5]), letters: match[1], personId };
}

/** A SQL LIKE pattern matching every level notice of one escalation (`_` in an id is a literal there too: ids are [0-9a-z]). */
export function levelNoticesPattern(subject: EscalationSubject, dueAt: string): string {
  return `${PREFIX[subject.type]}%-${subject.id}-${stamp(dueAt)}-%`;
}

function stamp(at: string): string {
  return new Date(at).getTime().toString(36);
}
