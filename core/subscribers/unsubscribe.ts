import { eq } from "drizzle-orm";
import { z } from "zod";
import { subscribers } from "../../db/schema.ts";
import { defineAction, type Outcome } from "../actions/define.ts";
import { notFound } from "../actions/errors.ts";
import { signedSubscriberId } from "./schemas.ts";
import { findSubscriber } from "./scope.ts";

export type UnsubscribeResult = { outcome: "unsubscribed" | "already-unsubscribed" };

/** The subscriber left (one-click link, preferences page, or mailto). Nothing more is sent; repeating it changes nothing. */
export const unsubscribe = defineAction({
  name: "subscriber.unsubscribe",
  // Public, but its authority is the signed link the caller checked (api/subscribe/link-routes.ts): it takes a
  // bare subscriber id, so it must never be mounted on a route of its own.
  role: "public",
  doing: "unsubscribe",
  input: z.object({ subscriber_id: signedSubscriberId, via: z.enum(["one-click", "preferences", "mailto"]) }).strict(),
  async load(ctx, { subscriber_id }) {
    const subscriber = await findSubscriber(ctx.db, subscriber_id);
    if (!subscriber) throw notFound("This subscription no longer exists.");
    return { db: ctx.db, subscriber };
  },
  plan({ db, subscriber }, { via }, { now: at }): Outcome<UnsubscribeResult> {
    if (subscriber.state === "unsubscribed") return { changes: [], result: { outcome: "already-unsubscribed" } };
    const now = at.toISOString();
    const change = {
      statements: [
        db
          .update(subscribers)
          .set({ state: "unsubscribed", unsubscribedAt: now, updatedAt: now })
          .where(eq(subscribers.id, subscriber.id)),
      ],
      audit: {
        action: "subscriber.unsubscribed",
        targetType: "subscriber",
        targetId: subscriber.id,
        details: { via, from: subscriber.state },
      },
      jobs: [],
    };
    return { changes: [change], result: { outcome: "unsubscribed" } };
  },
});
