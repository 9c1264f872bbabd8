import { desc, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { DELIVERY_STATES } from "../../db/enums.ts";
import { deliveries, notificationEvents, people, subscribers } from "../../db/schema.ts";
import { defineQuery } from "../actions/define.ts";
import { PERSON_MAIL_KINDS } from "./person-mail-events.ts";

/** The most mails the log answers (newest first): the team's own mail is a few a day. */
const LOG_LIMIT = 100;

export const personMailLogSchema = z.object({
  mails: z
    .array(
      z.object({
        event_id: z.string(),
        kind: z.enum(Object.values(PERSON_MAIL_KINDS)).describe("an invitation or a sign-in link"),
        address: z.string().nullable().describe("the address it went to; null once erased"),
        person: z.string().nullable().describe("the name of the person of the team with that address, if any"),
        state: z.enum(DELIVERY_STATES).nullable().describe("null until fan-out made the delivery (a moment)"),
        attempts: z.int(),
        server_reply: z.string().nullable().describe("what the mail server answered (or the last error)"),
        created_at: z.string(),
        sent_at: z.string().nullable(),
      }),
    )
    .describe("mail to people (invitations, sign-in links), newest first, the latest 100; never the links"),
});
export type PersonMailLog = z.output<typeof personMailLogSchema>;

/**
 * The delivery log of mail to people: each invitation and sign-in link with its recipient, its state and
 * attempts and the server's reply, like a notification's deliveries (admin only: it says who signs in when).
 */
export const personMailLog = defineQuery({
  name: "person_mail.list",
  role: "admin",
  doing: "read the mail sent to people",
  input: z.object({}),
  async read(ctx): Promise<PersonMailLog> {
    const rows = await ctx.db
      .select({
        event_id: notificationEvents.id,
        kind: notificationEvents.kind,
        address: subscribers.address,
        person: people.name,
        state: deliveries.state,
        attempts: sql<number>`coalesce(${deliveries.attempts}, 0)`,
        server_reply: sql<string | null>`coalesce(${deliveries.serverReply}, ${deliveries.lastError})`,
        created_at: notificationEvents.createdAt,
        sent_at: deliveries.sentAt,
      })
      .from(notificationEvents)
      .leftJoin(subscribers, eq(subscribers.id, notificationEvents.subscriberId))
      .leftJoin(deliveries, eq(deliveries.eventId, notificationEvents.id))
      .leftJoin(people, eq(people.email, subscribers.address))
      .where(inArray(notificationEvents.kind, Object.values(PERSON_MAIL_KINDS)))
      .orderBy(desc(notificationEvents.createdAt), desc(sql`${notificationEvents}.rowid`))
      .limit(LOG_LIMIT);
    return {
      mails: rows.map((row) => ({
        ...row,
        kind: row.kind === PERSON_MAIL_KINDS.invitation ? PERSON_MAIL_KINDS.invitation : PERSON_MAIL_KINDS["sign-in"],
        attempts: Number(row.attempts),
      })),
    };
  },
});
