import { inArray } from "drizzle-orm";
import type { Clock } from "../../../core/actions/clock.ts";
import { deliveryVerdict } from "../../../core/notifications/audience.ts";
import type {
  ChannelName,
  Deliveries,
  NotificationEvent,
  OutgoingMessages,
  RetryPolicy,
  SendResult,
  Subscriber,
  Transport,
} from "../../../core/notifications/channel.ts";
import { eventContract } from "../../../core/notifications/events.ts";
import type { Db } from "../../../db/client.ts";
import { subscribers } from "../../../db/schema.ts";
import type { LeasedDelivery } from "./lease.ts";
import type { MessageBuilders } from "./messages.ts";
import { type Outcome, outcomeOf, rowIds } from "./outcome.ts";

/** A leased delivery whose message is built, waiting for its channel's transport. */
export type ReadyDelivery = {
  row: LeasedDelivery;
  subscriber: Subscriber;
  channel: ChannelName;
  message: OutgoingMessages[ChannelName];
  transport: Transport<ChannelName>;
  retry: RetryPolicy;
};

/** A leased delivery after the re-check: settled without sending (its outcome), or ready to send. */
export type Prepared = { kind: "settled"; outcome: Outcome } | { kind: "ready"; delivery: ReadyDelivery };

/** The current rows of the leased deliveries' subscribers (one who was erased is missing). */
export async function subscribersOf(db: Db, rows: LeasedDelivery[]): Promise<Map<string, Subscriber>> {
  const ids = [...new Set(rows.map((row) => row.subscriber_id))];
  const found = await db.select().from(subscribers).where(inArray(subscribers.id, ids));
  return new Map(found.map((s) => [s.id, s]));
}

/**
 * Re-checks one leased delivery against its event's contract (`deliveryVerdict`) and builds its
 * message. Reads (the event, once; the channel's per-event work, once) but writes nothing.
 */
export async function prepareDelivery(
  row: LeasedDelivery,
  subscriber: Subscriber | undefined,
  messages: MessageBuilders,
  channels: Deliveries,
): Promise<Prepared> {
  const event = await messages.eventOf(row.event_id);
  const dropped: Prepared = { kind: "settled", outcome: { kind: "dropped", id: row.id, eventId: row.event_id } };
  const verdict = subscriber && event ? deliveryVerdict(event, subscriber) : "left";
  // Left (or erased) after fan-out: nothing is owed to them.
  if (!subscriber || !event || verdict === "left") return dropped;
  if (verdict === "refused") {
    // Fan-out never queues these; a second line, should a row ever come from elsewhere.
    const reply = `not sent: a ${event.kind} event is not for this subscriber (core/notifications/events.ts)`;
    return { kind: "settled", outcome: { kind: "refused", id: row.id, eventId: row.event_id, reply } };
  }
  const channel = channelOf(event, subscriber);
  const build = await messages.builderOf(event, channel);
  let message: OutgoingMessages[ChannelName] | null;
  try {
    message = build ? await build(subscriber) : null;
  } catch (error) {
    // A message that cannot be built never will be: fail this one (not the subscriber), keep sending.
    const reply = `could not build the message: ${error instanceof Error ? error.message : String(error)}`;
    const attempts = row.attempts + 1;
    return { kind: "settled", outcome: { kind: "failed", ...rowIds(row), channel, attempts, reply, hard: false } };
  }
  const delivery = channels[channel];
  if (!delivery || !message) return dropped;
  const { transport, channel: served } = delivery;
  return { kind: "ready", delivery: { row, subscriber, channel, message, transport, retry: served.retry } };
}

/**
 * Sends one ready delivery through its transport and says what became of it (`outcome.ts`); writes
 * nothing. A transport that throws is a temporary failure, retried like a 4xx.
 */
export async function sendDelivery(delivery: ReadyDelivery, clock: Clock): Promise<Outcome> {
  let result: SendResult;
  try {
    result = await delivery.transport.send(delivery.message);
  } catch (error) {
    result = { ok: false, permanent: false, reply: String(error) };
  }
  return outcomeOf(delivery.row, delivery.channel, delivery.subscriber, result, delivery.retry, clock.now());
}

/**
 * Where an event's message to a subscriber goes: a personal or team event addressed to one (a
 * confirmation, a webhook's disabled notice, the team address's reminder) is always a mail (a webhook's
 * owner reads it); anything else goes by the subscriber's own channel.
 */
export function channelOf(event: NotificationEvent, subscriber: Subscriber): ChannelName {
  // A public event addressed to one subscriber (the last message of a subscription a sunset ended) goes
  // by that subscriber's own channel; personal and team events addressed to one go by mail.
  const personal = event.subscriberId !== null && eventContract(event.kind)?.audience !== "public";
  return personal ? "email" : subscriber.channel;
}
