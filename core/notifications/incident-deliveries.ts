import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { SubscriberChannel } from "../../db/enums.ts";
import { deliveries, incidents, notificationEvents, subscribers } from "../../db/schema.ts";
import { requireRole } from "../actions/authorize.ts";
import type { ActionContext } from "../actions/context.ts";
import { notFound } from "../actions/errors.ts";
import { addressFor, textFor } from "../subscribers/address-visibility.ts";

export type IncidentDeliveries = {
  incident_id: string;
  /** Each event of the incident, oldest first, with its counters (kept as deliveries move, never counted). */
  events: {
    id: string;
    kind: string;
    update_id: string | null;
    created_at: string;
    fanout_done: boolean;
    queued: number;
    sent: number;
    failed: number;
  }[];
  /** Deliveries that failed for good, with what the receiving server answered. */
  failing: {
    event_id: string;
    subscriber_id: string;
    /** Null once the subscriber was erased; shown whole only to an admin (here and in the replies). */
    address: string | null;
    channel: SubscriberChannel | null;
    attempts: number;
    server_reply: string | null;
    last_error: string | null;
  }[];
};

const MAX_FAILING = 500;

/** How the incident's notifications went: per event queued / sent / failed, and the failing addresses. */
export async function incidentDeliveries(ctx: ActionContext, incidentId: string): Promise<IncidentDeliveries> {
  requireRole(ctx, "viewer", "read deliveries");
  const [incident] = await ctx.db.select({ id: incidents.id }).from(incidents).where(eq(incidents.id, incidentId));
  if (!incident) throw notFound(`There is no incident with id "${incidentId}".`);
  const events = await ctx.db
    .select()
    .from(notificationEvents)
    .where(eq(notificationEvents.incidentId, incidentId))
    .orderBy(asc(notificationEvents.createdAt), sql`${notificationEvents}.rowid`);
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
