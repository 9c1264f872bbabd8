import { eq } from "drizzle-orm";
import { subscribers } from "../../db/schema.ts";
import { defineAction, type Outcome } from "../actions/define.ts";
import type { Change } from "../changes/commit.ts";
import { newId } from "../model/ids.ts";
import { confirmationStatements } from "./personal-event.ts";
import { subscribeInput } from "./schemas.ts";
import { checkComponentsExist, findEmailSubscriber, replaceScope } from "./scope.ts";

/** What happened, for tests and the audit log; the subscriber is told the same thing in every case. */
export type SubscribeOutcome = "new" | "reconfirm" | "already-active" | "blocked";

export type SubscribeResult = { outcome: SubscribeOutcome; subscriberId: string };

/**
 * Someone asked to be told by mail (the public form or JSON; double opt-in). A new, unconfirmed or
 * unsubscribed address becomes unconfirmed with the chosen scope and gets a confirmation mail; an
 * active one keeps its scope (only its owner may change that, through the manage link) and gets the same
 * personal event, which the mail renders as "you are subscribed, here is your manage link"; a quarantined
 * or disabled one is told nothing. So the answer never reveals whether an address is subscribed.
 */
export const subscribe = defineAction({
  name: "subscriber.subscribe",
  role: "public",
  doing: "subscribe",
  input: subscribeInput,
  async load(ctx, subscription) {
    await checkComponentsExist(ctx.db, subscription.componentIds);
    return { db: ctx.db, existing: await findEmailSubscriber(ctx.db, subscription.email) };
  },
  plan({ db, existing }, subscription, { now: at }): Outcome<SubscribeResult> {
    const now = at.toISOString();
    const scope = subscription.allComponents ? "all" : subscription.componentIds;
    if (existing?.state === "quarantined" || existing?.state === "disabled") {
      const change = {
        statements: [],
        audit: audit("subscriber.subscribe_refused", existing.id, { state: existing.state }),
        jobs: [],
      };
      return { changes: [change], result: { outcome: "blocked", subscriberId: existing.id } };
    }
    if (existing?.state === "active") {
      const mail = confirmationStatements(db, existing.id, now);
      const change: Change = {
        statements: mail.statements,
        audit: audit("subscriber.subscribe_repeated", existing.id, { eventId: mail.eventId }),
        jobs: mail.jobs,
      };
      return { changes: [change], result: { outcome: "already-active", subscriberId: existing.id } };
    }
    const id = existing?.id ?? newId();
    const mail = confirmationStatements(db, id, now);
    const row = existing
      ? db
          .update(subscribers)
          .set({
            state: "unconfirmed",
            allComponents: subscription.allComponents,
            confirmationSentAt: now,
            unsubscribedAt: null,
            updatedAt: now,
          })
          .where(eq(subscribers.id, id))
      : db.insert(subscribers).values({
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
      statements: [row, ...replaceScope(db, id, subscription.componentIds), ...mail.statements],
      audit: audit(existing ? "subscriber.resubscribed" : "subscriber.subscribed", id, {
        scope,
        eventId: mail.eventId,
      }),
      jobs: mail.jobs,
    };
    return { changes: [change], result: { outcome: existing ? "reconfirm" : "new", subscriberId: id } };
  },
});

function audit(action: string, targetId: string, details: Record<string, unknown>): Change["audit"] {
  // The address stays out of the audit log: erasing a subscriber must leave no personal data behind.
  return { action, targetType: "subscriber", targetId, details };
}
