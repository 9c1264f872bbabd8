import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { SUBSCRIBER_CHANNELS } from "../../db/enums.ts";
import { deliveries, incidents, notificationEvents, people, subscribers } from "../../db/schema.ts";
import type { ActionContext } from "../actions/context.ts";
import { defineQuery } from "../actions/define.ts";
import { notFound } from "../actions/errors.ts";
import { addressFor, textFor } from "../subscribers/address-visibility.ts";

export const incidentDeliveriesSchema = z.object({
  incident_id: z.string(),
  events: z
    .array(
      z.object({
        id: z.string(),
        kind: z.string(),
        update_id: z.string().nullable(),
        created_at: z.string(),
        fanout_done: z.boolean(),
        queued: z.int(),
        sent: z.int(),
        failed: z.int(),
        bounced: z.int().describe("sent, then reported bounced for good by the mail provider"),
        complained: z.int().describe("sent, then marked as spam by the recipient (the provider's report)"),
        recipient: z
          .object({
            address: z.string().nullable().describe("shown whole only to an admin; null once erased"),
            person: z.string().nullable().describe("the name of the person of the team with this address"),
          })
          .nullable()
          .describe(
            "the one recipient of an addressed event (an escalation notice's person, the team address); null for a fan-out",
          ),
      }),
    )
    .describe("each event of the incident, oldest first, with its counters (kept as deliveries move, never counted)"),
  failing: z
    .array(
      z.object({
        event_id: z.string(),
        subscriber_id: z.string(),
        address: z
          .string()
          .nullable()
          .describe("null once the subscriber was erased; shown whole only to an admin (here and in the replies)"),
        channel: z.enum(SUBSCRIBER_CHANNELS).nullable(),
        attempts: z.int(),
        server_reply: z.string().nullable(),
        last_error: z.string().nullable(),
      }),
    )
    .describe(
      "deliveries that failed for good, with what the receiving server answered (kept DELIVERY_RETENTION, 30 days; the counters stay)",
    ),
});

export type IncidentDeliveries = z.output<typeof incidentDeliveriesSchema>;

const MAX_FAILING = 500;

/** How the incident's notifications went: per event queued / sent / failed, and the failing addresses. */
export const incidentDeliveries = defineQuery({
  name: "incident.deliveries",
  role: "viewer",
  doing: "read deliveries",
  input: z.object({ id: z.string() }),
  read: (ctx, { id }) => readDeliveries(ctx, id),
});

async function readDeliveries(ctx: ActionContext, incidentId: string): Promise<IncidentDeliveries> {
  const [incident] = await ctx.db.select({ id: incidents.id }).from(incidents).where(eq(incidents.id, incidentId));
  if (!incident) throw notFound(`There is no incident with id "${incidentId}".`);
  const events = await ctx.db
    .select()
    .from(notificationEvents)
    .where(eq(notificationEvents.incidentId, incidentId))
    .orderBy(asc(notificationEvents.createdAt), sql`${notificationEvents}.rowid`);
  const recipients = await recipientsOf(
    ctx,
    events.flatMap((e) => (e.subscriberId ? [e.subscriberId] : [])),
  );
  const failing =
    events.length === 0
      ? []
      : await ctx.db
          .select({
            event_id: deliveries.eventId,
            subscriber_id: deliveries.subscriberId,
            address: subscribers.address,
            channel: subscribers.channel,
            attempts: deliveries.attempts,
            server_reply: deliveries.serverReply,
            last_error: deliveries.lastError,
          })
          .from(deliveries)
          .leftJoin(subscribers, eq(subscribers.id, deliveries.subscriberId))
          .where(
            and(
              inArray(
                deliveries.eventId,
                events.map((e) => e.id),
              ),
              eq(deliveries.state, "failed"),
            ),
          )
          .orderBy(asc(deliveries.eventId), asc(deliveries.subscriberId))
          .limit(MAX_FAILING);
  return {
    incident_id: incidentId,
    events: events.map((e) => ({
      id: e.id,
      kind: e.kind,
      update_id: e.updateId,
      created_at: e.createdAt,
      fanout_done: e.fanoutDoneAt !== null,
      queued: e.queued,
      sent: e.sent,
      failed: e.failed,
      bounced: e.bounced,
      complained: e.complained,
      recipient: e.subscriberId ? (recipients.get(e.subscriberId) ?? { address: null, person: null }) : null,
    })),
    failing: failing.map((row) => ({
      ...row,
      address: row.address === null ? null : addressFor(ctx.actor.role, row.channel, row.address),
      server_reply: row.server_reply === null ? null : textFor(ctx.actor.role, row.server_reply, known(row.address)),
      last_error: row.last_error === null ? null : textFor(ctx.actor.role, row.last_error, known(row.address)),
    })),
  };
}

const known = (address: string | null): string[] => (address === null ? [] : [address]);

/** Whose an addressed event is: the address (masked for all but an admin) and the person of the team it belongs to. */
async function recipientsOf(
  ctx: ActionContext,
  subscriberIds: string[],
): Promise<Map<string, { address: string | null; person: string | null }>> {
  if (subscriberIds.length === 0) return new Map();
  const rows = await ctx.db
    .select({ id: subscribers.id, address: subscribers.address, channel: subscribers.channel, person: people.name })
    .from(subscribers)
    .leftJoin(people, eq(people.email, subscribers.address))
    .where(inArray(subscribers.id, [...new Set(subscriberIds)]));
  return new Map(
    rows.map((row) => [row.id, { address: addressFor(ctx.actor.role, row.channel, row.address), person: row.person }]),
  );
}
