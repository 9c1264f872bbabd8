import { eq } from "drizzle-orm";
import { subscribers } from "../../db/schema.ts";
import { isoNow } from "../actions/clock.ts";
import type { ActionContext } from "../actions/context.ts";
import { notFound } from "../actions/errors.ts";
import { commitChange } from "../changes/commit.ts";
import { findSubscriber } from "./scope.ts";

/** The subscriber left (one-click link, preferences page, or mailto). Nothing more is sent; repeating it changes nothing. */
export async function unsubscribe(
  ctx: ActionContext,
  subscriberId: string,
  via: "one-click" | "preferences" | "mailto",
): Promise<"unsubscribed" | "already-unsubscribed"> {
  const subscriber = await findSubscriber(ctx.db, subscriberId);
  if (!subscriber) throw notFound("This subscription no longer exists.");
  if (subscriber.state === "unsubscribed") return "already-unsubscribed";
  const now = isoNow(ctx.clock);
  await commitChange(ctx, {
    statements: [
      ctx.db
        .update(subscribers)
        .set({ state: "unsubscribed", unsubscribedAt: now, updatedAt: now })
        .where(eq(subscribers.id, subscriberId)),
    ],
    audit: {
      action: "subscriber.unsubscribed",
      targetType: "subscriber",
      targetId: subscriberId,
      details: { via, from: subscriber.state },
    },
    jobs: [],
  });
  return "unsubscribed";
}
