import { eq } from "drizzle-orm";
import { z } from "zod";
import { subscribers } from "../../db/schema.ts";
import { defineAction, type Outcome } from "../actions/define.ts";
import { notFound } from "../actions/errors.ts";
import { signedSubscriberId } from "./schemas.ts";
import { findSubscriber } from "./scope.ts";

export type ConfirmResult = { outcome: "confirmed" | "already-confirmed" | "not-pending" };

/**
 * The subscriber confirmed from the link in its mail (a POST: a mail scanner's GET changes nothing).
 * Only an unconfirmed subscriber becomes active; a second use, or one after unsubscribing, changes nothing.
 */
export const confirmSubscription = defineAction({
  name: "subscriber.confirm",
  // Public, but its authority is the signed link the caller checked (api/subscribe/link-routes.ts): it takes a
  // bare subscriber id, so it must never be mounted on a route of its own.
  role: "public",
  doing: "confirm subscriptions",
  input: z.object({ subscriber_id: signedSubscriberId }).strict(),
  async load(ctx, { subscriber_id }) {
    const subscriber = await findSubscriber(ctx.db, subscriber_id);
    if (!subscriber) throw notFound("This subscription no longer exists.");
    return { db: ctx.db, subscriber };
  },
  plan({ db, subscriber }, _input, { now: at }): Outcome<ConfirmResult> {
    if (subscriber.state === "active") return { changes: [], result: { outcome: "already-confirmed" } };
    if (subscriber.state !== "unconfirmed") return { changes: [], result: { outcome: "not-pending" } };
    const now = at.toISOString();
    const change = {
      statements: [
        db
          .update(subscribers)
          .set({ state: "active", confirmedAt: now, updatedAt: now })
          .where(eq(subscribers.id, subscriber.id)),
      ],
      audit: { action: "subscriber.confirmed", targetType: "subscriber", targetId: subscriber.id, details: {} },
      jobs: [],
    };
    return { changes: [change], result: { outcome: "confirmed" } };
  },
});
