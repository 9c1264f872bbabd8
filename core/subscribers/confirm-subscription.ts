import { eq } from "drizzle-orm";
import { subscribers } from "../../db/schema.ts";
import { isoNow } from "../actions/clock.ts";
import type { ActionContext } from "../actions/context.ts";
import { notFound } from "../actions/errors.ts";
import { commitChange } from "../changes/commit.ts";
import { findSubscriber } from "./scope.ts";

export type ConfirmOutcome = "confirmed" | "already-confirmed" | "not-pending";

/**
 * The subscriber confirmed from the link in its mail (a POST: a mail scanner's GET changes nothing).
 * Only an unconfirmed subscriber becomes active; a second use, or one after unsubscribing, changes nothing.
 */
export async function confirmSubscription(ctx: ActionContext, subscriberId: string): Promise<ConfirmOutcome> {
  const subscriber = await findSubscriber(ctx.db, subscriberId);
  if (!subscriber) throw notFound("This subscription no longer exists.");
  if (subscriber.state === "active") return "already-confirmed";
  if (subscriber.state !== "unconfirmed") return "not-pending";
  const now = isoNow(ctx.clock);
  await commitChange(ctx, {
    statements: [
      ctx.db
        .update(subscribers)
        .set({ state: "active", confirmedAt: now, updatedAt: now })
        .where(eq(subscribers.id, subscriberId)),
    ],
    audit: { action: "subscriber.confirmed", targetType: "subscriber", targetId: subscriberId, details: {} },
    jobs: [],
  });
  return "confirmed";
}
