import { Webhook } from "standardwebhooks";

/** The Standard Webhooks headers for one POST: `webhook-id` stays the same on every retry of a delivery. */
export function signatureHeaders(secret: string, webhookId: string, at: Date, body: string): Record<string, string> {
  return {
    "webhook-id": webhookId,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": new Webhook(secret).sign(webhookId, at, body),
  };
}

/** The delivery's webhook id, derived from event and subscriber so a resend carries the same one. */
export function webhookMessageId(eventId: string, subscriberId: string): string {
  return `msg_${eventId}_${subscriberId}`;
}
