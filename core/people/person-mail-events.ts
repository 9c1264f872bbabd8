import type { Db } from "../../db/client.ts";
import type { Statement } from "../changes/commit.ts";
import type { OutboxJob } from "../changes/outbox.ts";
import { addressRecipient } from "../escalation/address-recipient.ts";
import { notificationStatements } from "../notifications/queue-event.ts";
import type { PersonLinkPurpose } from "./link-tokens.ts";

/** The personal event kind of each mailed link: mail to a person goes through the outbox like every mail. */
export const PERSON_MAIL_KINDS = { invitation: "person.invitation", "sign-in": "person.sign_in_link" } as const;

const LETTER = { invitation: "i", "sign-in": "s" } as const;

/** The event of one mailed link, derived from its row (an invitation's, a sign-in link's): written once. */
export function personMailEventId(purpose: PersonLinkPurpose, id: string): string {
  return `pm${LETTER[purpose]}-${id}`;
}

/** The link an event of a person's mail is about (by its id); null for any other event. */
export function personMailOf(eventId: string): { purpose: PersonLinkPurpose; id: string } | null {
  const match = /^pm([is])-([0-9a-z]+)$/.exec(eventId);
  if (!match?.[1] || !match[2]) return null;
  return { purpose: match[1] === "i" ? "invitation" : "sign-in", id: match[2] };
}

/**
 * The rows that mail one person their link: the mail row of their address (core/escalation/address-recipient.ts:
 * a row no subscriber's notice reaches, unless they subscribe) and a personal event addressed to it, so the
 * mail is a delivery like any other (state, attempts, the server's reply) and takes the same route from the
 * Worker as from Node. The event carries the row id only: the sender derives the link again.
 */
export async function personMailRows(
  db: Db,
  mail: { email: string; purpose: PersonLinkPurpose; id: string; now: Date },
): Promise<{ statements: Statement[]; jobs: OutboxJob[] }> {
  const recipient = await addressRecipient(db, mail.email, mail.now);
  const event = notificationStatements(db, {
    kind: PERSON_MAIL_KINDS[mail.purpose],
    id: personMailEventId(mail.purpose, mail.id),
    at: mail.now.toISOString(),
    subscriberId: recipient.subscriberId,
    componentIds: [],
  });
  return { statements: [...recipient.statements, ...event.statements], jobs: event.jobs };
}
