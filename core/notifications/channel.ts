import type { SendMailOptions } from "nodemailer";
import type { Db } from "../../db/client.ts";
import type { notificationEvents, subscribers } from "../../db/schema.ts";
import type { Clock } from "../actions/clock.ts";
import type { HmacSha256 } from "../subscribers/signed-links.ts";

/** A stored notification event (what happened), as fan-out and the sender read it. */
export type NotificationEvent = typeof notificationEvents.$inferSelect;
/** A stored subscriber (who is told, and how). */
export type Subscriber = typeof subscribers.$inferSelect;

export type ChannelName = Subscriber["channel"];

/** A mail as nodemailer sends it; `messageId` is derived from (event, subscriber) so a resend carries the same one. */
export type EmailMessage = SendMailOptions & { messageId: string };

/** One subscriber's message of an event, or null when there is nothing to send them; may await (signing links). */
export type MessageBuilder<C extends ChannelName> = (
  subscriber: Subscriber,
) => OutgoingMessages[C] | null | Promise<OutgoingMessages[C] | null>;

/** A webhook call: an HTTPS POST with a signed JSON body. */
export type WebhookRequest = {
  url: string;
  method: "POST";
  headers: Record<string, string>;
  body: string;
  /** The Standard Webhooks `webhook-id` (derived from event and subscriber, stable across retries). */
  messageId: string;
};

/** What each channel sends. */
export type OutgoingMessages = { email: EmailMessage; webhook: WebhookRequest };

/**
 * What a transport reports for one message. `ok` only after the receiver accepted it (SMTP 250, HTTP
 * 2xx): only then is the delivery marked sent. `permanent` failures (SMTP 5xx, a refused URL) are not retried.
 */
export type SendResult =
  | { ok: true; reply: string; messageId: string }
  | { ok: false; permanent: boolean; reply: string };

/** Sends built messages of one channel (nodemailer's pooled SMTP, `.eml` files, HTTP). */
export type Transport<C extends ChannelName> = {
  send(message: OutgoingMessages[C]): Promise<SendResult>;
  /** Messages this transport needs in flight to keep busy (a batching one); the sender's window holds at least this many. */
  inFlight?: number;
  /**
   * How many replies may wait unrecorded: the sender group-commits once this many wait. A hard kill can
   * repeat at most these (one per SMTP connection; one batch per provider request).
   */
  commitEvery?: number;
  /** Waits for what is in flight and releases connections. */
  close(): Promise<void>;
};

/**
 * What building a message may read: the database (once per event), the clock, the origin serving the
 * subscribe links (the page's, in the embedded default), `MAIL_FROM`, and `HERALD_SECRET` when set.
 */
export type ChannelContext = {
  db: Db;
  clock: Clock;
  publicUrl: string;
  mailFrom: string;
  linkSecret?: string | undefined;
  /** A synchronous HMAC for signing links (Node's), much cheaper per mail than Web Crypto's. */
  hmac?: HmacSha256 | undefined;
};

/** How long a channel keeps trying one delivery after temporary failures. */
export type RetryPolicy = {
  /** Attempts before a delivery fails for good. */
  maxAttempts: number;
  /** The wait before the next attempt after `attempts` failures. */
  backoffMs(attempts: number): number;
};

/**
 * A channel turns (event, subscriber) into the message that channel sends. `forEvent` does the
 * per-event work once (loading the incident, rendering its view model) and returns a builder that is
 * cheap per subscriber: fan-outs reach 100,000 subscribers. The builder returns null when there is
 * nothing to send to this subscriber for this event (e.g. the event no longer exists).
 */
export type Channel<C extends ChannelName> = {
  name: C;
  retry: RetryPolicy;
  forEvent(ctx: ChannelContext, event: NotificationEvent): Promise<MessageBuilder<C> | null>;
};

/** A channel and the transport that sends what it builds. */
export type Delivery<C extends ChannelName> = { channel: Channel<C>; transport: Transport<C> };

/** One entry per channel the sender serves; a channel without one leaves its deliveries queued. */
export type Deliveries = { [C in ChannelName]?: Delivery<C> };

/** `2^attempts` seconds, capped: 2 s, 4 s, 8 s … */
export function exponentialBackoff(capMs: number): (attempts: number) => number {
  return (attempts) => Math.min(1000 * 2 ** attempts, capMs);
}

/**
 * Mail: 12 attempts, `2^attempts` s apart, capped at 15 minutes (about 47 minutes in all), so a mail
 * server or provider down for half an hour delays mail without losing any. (8 attempts, ~4 minutes,
 * had failed every mail of a five-minute outage.)
 */
export const EMAIL_RETRY: RetryPolicy = { maxAttempts: 12, backoffMs: exponentialBackoff(15 * 60_000) };

/** Webhooks: keep trying for about 24 hours (backoff capped at one hour). */
export const WEBHOOK_RETRY: RetryPolicy = { maxAttempts: 36, backoffMs: exponentialBackoff(60 * 60_000) };
