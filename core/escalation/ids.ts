/**
 * Ids derived from the subject and the promised time, so two ticks (or two processes) planning the same
 * notice write it once: the escalation's row, and each level's events (the prefixes keep
 * `lapsedPromiseOf` in core/scheduler/overdue-reminders.ts reading the promised time from them).
 */
export function escalationId(subject: { type: "incident" | "draft"; id: string }, dueAt: string): string {
  return `${subject.type === "incident" ? "ei" : "ed"}-${subject.id}-${stamp(dueAt)}`;
}

export function levelNoticeIds(
  incidentId: string,
  dueAt: string,
  level: number,
): { webhooks: string; team: string; person: (personId: string) => string } {
  const base = `${incidentId}-${stamp(dueAt)}-${level}`;
  return { webhooks: `o-${base}`, team: `ot-${base}`, person: (personId) => `oe-${base}-${personId}` };
}

/** The level and the promise an escalation notice's event (by its id) is about; null for any other event. */
export function levelNoticeOf(eventId: string): { incidentId: string; due: string; level: number } | null {
  const match = /^o[te]?-([0-9a-z]+)-([0-9a-z]+)-(\d+)(?:-[0-9a-z]+)?$/.exec(eventId);
  if (!match?.[1] || !match[2] || !match[3]) return null;
  return { incidentId: match[1], due: match[2], level: Number(match[3]) };
}

/** The prefix every notice of one lapsed promise shares after its kind letters. */
export function promiseStamp(incidentId: string, dueAt: string): string {
  return `${incidentId}-${stamp(dueAt)}`;
}

function stamp(at: string): string {
  return new Date(at).getTime().toString(36);
}
