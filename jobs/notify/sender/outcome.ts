import type { ChannelName, RetryPolicy, SendResult, Subscriber } from "../../../core/notifications/channel.ts";
import type { LeasedDelivery } from "./lease.ts";

/** How one delivery ended this attempt: what `mark.ts` writes, group-committed with the others of its turn. */
export type Outcome =
  | {
      kind: "sent";
      id: string;
      eventId: string;
      subscriberId: string;
      channel: ChannelName;
      reply: string;
      messageId: string;
      /** The subscriber had a failure run when leased (or since, `group-commit.ts`): this success ends it. */
      endsFailureRun: boolean;
    }
  | {
      kind: "retry";
      id: string;
      eventId: string;
      subscriberId: string;
      channel: ChannelName;
      attempts: number;
      /** When the delivery is due again (ISO). */
      next: string;
      reply: string;
    }
  | {
      kind: "failed";
      id: string;
      eventId: string;
      subscriberId: string;
      channel: ChannelName;
      attempts: number;
      reply: string;
      /** Refused for good by the receiver (SMTP 5xx, HTTP 4xx): counts towards quarantine. */
      hard: boolean;
    }
  /** The subscriber left (or was erased) after fan-out, or there is nothing to send: the row is deleted. */
  | { kind: "dropped"; id: string; eventId: string }
  /** Forbidden by the event's contract (a team event to a subscriber): failed unsent, no mark on the subscriber. */
  | { kind: "refused"; id: string; eventId: string; reply: string };

export function rowIds(row: LeasedDelivery): { id: string; eventId: string; subscriberId: string } {
  return { id: row.id, eventId: row.event_id, subscriberId: row.subscriber_id };
}

/**
 * What a transport's answer means for the delivery: accepted is sent; a permanent refusal, or a
 * temporary one on the channel's last attempt, is failed; any other is due again after the channel's backoff.
 */
export function outcomeOf(
  row: LeasedDelivery,
  channel: ChannelName,
  subscriber: Subscriber,
  result: SendResult,
  retry: RetryPolicy,
  now: Date,
): Outcome {
  const base = { ...rowIds(row), channel };
  if (result.ok) {
    const endsFailureRun = subscriber.hardFailures > 0 || subscriber.failingSince !== null;
    return { kind: "sent", ...base, reply: result.reply, messageId: result.messageId, endsFailureRun };
  }
  const attempts = row.attempts + 1;
  if (result.permanent || attempts >= retry.maxAttempts)
    return { kind: "failed", ...base, attempts, reply: result.reply, hard: result.permanent };
  const next = new Date(now.getTime() + retry.backoffMs(attempts)).toISOString();
  return { kind: "retry", ...base, attempts, next, reply: result.reply };
}
