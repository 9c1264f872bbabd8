import { eq } from "drizzle-orm";
import { incidents, incidentUpdates } from "../../../db/schema.ts";
import { type Channel, deliveryMessageId } from "../channel.ts";

/**
 * PLACEHOLDER until helper "mail" lands `buildEmail` (templates, HTML, List-Unsubscribe, threading):
 * a bare plain-text mail, so the sender and its tests run end to end. Replace the one import of this
 * file in jobs/notify/channels.ts and delete it.
 */
export const placeholderEmail: Channel<"email">["forEvent"] = async (ctx, event) => {
  const incident = event.incidentId
    ? (await ctx.db.select().from(incidents).where(eq(incidents.id, event.incidentId)).limit(1))[0]
    : undefined;
  const update = event.updateId
    ? (await ctx.db.select().from(incidentUpdates).where(eq(incidentUpdates.id, event.updateId)).limit(1))[0]
    : undefined;
  const subject = `[${event.kind}] ${incident?.name ?? "Status update"}`;
  const text = `${update?.bodyMd ?? incident?.name ?? event.kind}\n\n${ctx.publicUrl}\n`;
  const domain = new URL(ctx.publicUrl).hostname || "herald.invalid";
  return (subscriber) => ({
    from: ctx.mailFrom,
    to: subscriber.address,
    subject,
    text,
    messageId: deliveryMessageId(event.id, subscriber.id, domain),
  });
};
