/**
 * Message ids of Herald's mails: derived from (event, subscriber), so a resend carries the same one and
 * every mail about an incident can answer the first one (`In-Reply-To`, `References`) without storing it.
 */
export function mailMessageId(eventId: string, subscriberId: string, host: string): string {
  return `<${eventId}.${subscriberId}@${host}>`;
}

export type Threading = { messageId: string; inReplyTo?: string; references?: string };

/** The mail's own id and, unless it is the incident's first, the first mail it answers. */
export function threading(
  eventId: string,
  threadEventId: string | null,
  subscriberId: string,
  host: string,
): Threading {
  const messageId = mailMessageId(eventId, subscriberId, host);
  if (!threadEventId || threadEventId === eventId) return { messageId };
  const first = mailMessageId(threadEventId, subscriberId, host);
  return { messageId, inReplyTo: first, references: first };
}
