import { eq } from "drizzle-orm";
import { subscribers } from "../../db/schema.ts";
import { isoNow } from "../actions/clock.ts";
import type { ActionContext } from "../actions/context.ts";
import { parseInput } from "../actions/validation.ts";
import { type Change, commitChange } from "../changes/commit.ts";
import { newId } from "../model/ids.ts";
import { confirmationStatements } from "./personal-event.ts";
import { type SubscribeInput, subscribeInput } from "./schemas.ts";
import { checkComponentsExist, findEmailSubscriber, replaceScope } from "./scope.ts";

/** What happened, for tests and the audit log; the subscriber is told the same thing in every case. */
export type SubscribeOutcome = "new" | "reconfirm" | "already-active" | "blocked";

/**
 * Someone asked to be told by mail (the public form or JSON; double opt-in). A new, unconfirmed or
 * unsubscribed address becomes unconfirmed with the chosen scope and gets a confirmation mail; an
 * active one keeps its scope (only its owner may change that, through the manage link) and gets the same
 * personal event, which the mail renders as "you are subscribed, here is your manage link"; a quarantined
 * or disabled one is told nothing. So the answer never reveals whether an address is subscribed.
 */
export async function subscribe(
  ctx: ActionContext,
  input: SubscribeInput,
): Promise<{ subscriberId: string; outcome: SubscribeOutcome }> {
  const subscription = parseInput(subscribeInput, input);
  await checkComponentsExist(ctx.db, subscription.componentIds);
  const now = isoNow(ctx.clock);
  const existing = await findEmailSubscriber(ctx.db, subscription.email);
  const scope = subscription.allComponents ? "all" : subscription.componentIds;

  if (existing?.state === "quarantined" || existing?.state === "disabled") {
    await commitChange(ctx, {
      statements: [],
      audit: audit("subscriber.subscribe_refused", existing.id, { state: existing.state }),
      jobs: [],
    });
    return { subscriberId: existing.id, outcome: "blocked" };
  }
  if (existing?.state === "active") {
    const mail = confirmationStatements(ctx.db, existing.id, now);
    await commitChange(ctx, {
      statements: mail.statements,
      audit: audit("subscriber.subscribe_repeated", existing.id, { eventId: mail.eventId }),
      jobs: mail.jobs,
    });
    return { subscriberId: existing.id, outcome: "already-active" };
  }

  const id = existing?.id ?? newId();
  const mail = confirmationStatements(ctx.db, id, now);
  const row = existing
    ? ctx.db
        .update(subscribers)
        .set({
          state: "unconfirmed",
          allComponents: subscription.allComponents,
          confirmationSentAt: now,
          unsubscribedAt: null,
          updatedAt: now,
        })
        .where(eq(subscribers.id, id))
    : ctx.db.insert(subscribers).values({
        id,
        channel: "email",
        address: subscription.email,
        format: "email",
        state: "unconfirmed",
        allComponents: subscription.allComponents,
        source: "form",
        confirmationSentAt: now,
        createdAt: now,
        updatedAt: now,
      });
  const change: Change = {
    statements: [row, ...replaceScope(ctx.db, id, subscription.componentIds), ...mail.statements],
    audit: audit(existing ? "subscriber.resubscribed" : "subscriber.subscribed", id, { scope, eventId: mail.eventId }),
    jobs: mail.jobs,
  };
  await commitChange(ctx, change);
  return { subscriberId: id, outcome: existing ? "reconfirm" : "new" };
}

function audit(action: string, targetId: string, details: Record<string, unknown>): Change["audit"] {
  // The address stays out of the audit log: erasing a subscriber must leave no personal data behind.
  return { action, targetType: "subscriber", targetId, details };
}
