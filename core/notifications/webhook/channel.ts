import type { Db } from "../../../db/client.ts";
import type { notificationEvents, subscribers } from "../../../db/schema.ts";
import type { Clock } from "../../clock.ts";
import { PERSONAL_KINDS } from "../kinds.ts";
import { buildWebhookEventView } from "./build-view.ts";
import { type WebhookRequest, webhookRequest } from "./request.ts";

/**
 * The webhook channel's `forEvent` (the `Channel<"webhook">` contract of core/notifications/channel.ts):
 * the view is read once per event, each subscriber's signed POST is built from it. Personal events
 * (a self-serve confirmation, the disabled notice) are never POSTed: they go to the owner by mail.
 */
export async function webhookMessagesFor(
  ctx: { db: Db; clock: Clock },
  event: typeof notificationEvents.$inferSelect,
): Promise<((subscriber: typeof subscribers.$inferSelect) => WebhookRequest | null) | null> {
  if (PERSONAL_KINDS.some((kind) => kind === event.kind)) return null;
  const view = await buildWebhookEventView(ctx.db, event);
  if (!view) return null;
  return (subscriber) =>
    subscriber.channel === "webhook" && subscriber.state === "active"
      ? webhookRequest(view, event.id, subscriber, ctx.clock)
      : null;
}
