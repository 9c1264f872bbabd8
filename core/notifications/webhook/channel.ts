import type { Db } from "../../../db/client.ts";
import type { notificationEvents, subscribers } from "../../../db/schema.ts";
import type { Clock } from "../../clock.ts";
import { eventContract } from "../events.ts";
import { buildWebhookEventView } from "./build-view.ts";
import { type WebhookRequest, webhookRequest } from "./request.ts";

/**
 * The webhook channel's `forEvent` (the `Channel<"webhook">` contract of core/notifications/channel.ts):
 * the view is read once per event, each subscriber's signed POST is built from it. A kind without a
 * webhook event type (a self-serve confirmation, the disabled notice) is never POSTed: it goes by mail.
 */
export async function webhookMessagesFor(
  ctx: { db: Db; clock: Clock },
  event: typeof notificationEvents.$inferSelect,
): Promise<((subscriber: typeof subscribers.$inferSelect) => WebhookRequest | null) | null> {
  const contract = eventContract(event.kind);
  if (!contract?.webhookEvent) return null;
  const formats: readonly string[] = contract.channels.webhook;
  const view = await buildWebhookEventView(ctx.db, event);
  if (!view) return null;
  return (subscriber) =>
    subscriber.channel === "webhook" && subscriber.state === "active" && formats.includes(subscriber.format)
      ? webhookRequest(view, event.id, subscriber, ctx.clock)
      : null;
}
