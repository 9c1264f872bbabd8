/** The most reminders of one waiting draft after its first notice. */
export const MAX_DRAFT_REMINDERS = 3;

/**
 * The events of a draft's notice `n` (0: "a draft waits", 1–3: reminders), derived from the draft and `n`, so
 * two ticks planning the same notice write it once: one for the team's webhooks, one addressed to the team address.
 */
export function draftNoticeIds(draftId: string, n: number): { webhooks: string; team: string } {
  return { webhooks: `ad-${draftId}-${n}`, team: `adt-${draftId}-${n}` };
}

/** The draft and notice number an event (by its id, from `draftNoticeIds`) is about; null for any other event. */
export function draftNoticeOf(eventId: string): { draftId: string; n: number } | null {
  const match = /^adt?-([0-9a-z]+)-(\d)$/.exec(eventId);
  if (!match?.[1] || !match[2]) return null;
  return { draftId: match[1], n: Number(match[2]) };
}
