import type { SubscriberFormat, WebhookFormat } from "../../../db/enums.ts";
import type { Clock } from "../../actions/clock.ts";
import { webhookPayload } from "./payloads.ts";
import { signatureHeaders, webhookMessageId } from "./sign.ts";
import type { SubscriberLinks, WebhookEventView } from "./view.ts";

/** One webhook POST, ready for the transport (the shape of `WebhookRequest` in core/notifications/channel.ts). */
export type WebhookRequest = {
  url: string;
  method: "POST";
  headers: Record<string, string>;
  body: string;
  messageId: string;
};

/** The webhook subscriber fields a request needs. */
export type WebhookTarget = { id: string; address: string; format: SubscriberFormat; webhookSecret: string | null };

function isWebhookFormat(format: SubscriberFormat): format is WebhookFormat {
  return format !== "email";
}

/**
 * The signed POST of one event to one webhook. Every format is signed (chat services ignore the
 * headers); the timestamp is the build time, and the sender builds right before it sends.
 */
export function webhookRequest(
  view: WebhookEventView,
  target: WebhookTarget,
  links: SubscriberLinks,
  clock: Clock,
): WebhookRequest | null {
  return signedWebhookRequest(view.event.id, target, (format) => webhookPayload(format, view, links), clock);
}

/** The signed POST of one event's payload (built for the target's format) to one webhook. */
export function signedWebhookRequest(
  eventId: string,
  target: WebhookTarget,
  payload: (format: WebhookFormat) => unknown,
  clock: Clock,
): WebhookRequest | null {
  if (!target.webhookSecret || !isWebhookFormat(target.format)) return null;
  const body = JSON.stringify(payload(target.format));
  const messageId = webhookMessageId(eventId, target.id);
  return {
    url: target.address,
    method: "POST",
    messageId,
    body,
    headers: {
      "content-type": "application/json; charset=utf-8",
      "user-agent": "Herald-Webhooks/1",
      ...signatureHeaders(target.webhookSecret, messageId, clock.now(), body),
    },
  };
}
