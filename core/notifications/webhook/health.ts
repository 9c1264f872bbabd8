import { and, eq } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import type { SubscriberState } from "../../../db/enums.ts";
import { subscribers } from "../../../db/schema.ts";
import type { Statement } from "../../changes/commit.ts";
import { notificationRows } from "../queue-event.ts";

/** A webhook failing without a success for this long is disabled. */
export const DISABLE_AFTER_FAILING_MS = 24 * 60 * 60 * 1000;
/** …or after this many deliveries in a row failed for good (4xx: the URL is gone or refuses us). */
export const DISABLE_AFTER_PERMANENT_FAILURES = 5;

export type WebhookOutcome = "sent" | "retry" | "failed";

type Health = Pick<typeof subscribers.$inferSelect, "hardFailures" | "failingSince">;

/** A webhook's failure run after one delivery attempt, and whether it must now be disabled. */
export function healthAfter(health: Health, outcome: WebhookOutcome, now: Date): Health & { disable: boolean } {
  if (outcome === "sent") return { hardFailures: 0, failingSince: null, disable: false };
  const failingSince = health.failingSince ?? now.toISOString();
  const hardFailures = health.hardFailures + (outcome === "failed" ? 1 : 0);
  const failingFor = now.getTime() - new Date(failingSince).getTime();
  return {
    hardFailures,
    failingSince,
    disable: failingFor >= DISABLE_AFTER_FAILING_MS || hardFailures >= DISABLE_AFTER_PERMANENT_FAILURES,
  };
}

/**
 * The statements recording one attempt's outcome on the webhook, for the sender's batch that marks the
 * delivery. Disabling writes a personal `webhook.disabled` event (and its notify job) so the owner is
 * told by mail; the update only applies while the webhook is active, so it is disabled once.
 */
export function webhookOutcomeStatements(
  db: Db,
  webhook: Health & { id: string; state: SubscriberState },
  outcome: WebhookOutcome,
  now: Date,
): { statements: Statement[]; disabled: boolean } {
  const next = healthAfter(webhook, outcome, now);
  const at = now.toISOString();
  const unchanged = next.hardFailures === webhook.hardFailures && next.failingSince === webhook.failingSince;
  if (!next.disable || webhook.state !== "active") {
    if (unchanged) return { statements: [], disabled: false };
    return {
      statements: [
        db
          .update(subscribers)
          .set({ hardFailures: next.hardFailures, failingSince: next.failingSince, updatedAt: at })
          .where(eq(subscribers.id, webhook.id)),
      ],
      disabled: false,
    };
  }
  const notice = notificationRows(db, {
    kind: "webhook.disabled",
    subscriberId: webhook.id,
    at,
    componentIds: [],
  });
  return {
    disabled: true,
    statements: [
      db
        .update(subscribers)
        .set({
          state: "disabled",
          disabledAt: at,
          hardFailures: next.hardFailures,
          failingSince: next.failingSince,
          updatedAt: at,
        })
        .where(and(eq(subscribers.id, webhook.id), eq(subscribers.state, "active"))),
      ...notice.statements,
    ],
  };
}

/**
 * `webhookOutcomeStatements` for several attempts on one webhook that ended in the same batch, in order:
 * the failure run is carried from one to the next, and the first one that disables it is the last.
 */
export function webhookOutcomesStatements(
  db: Db,
  webhook: Health & { id: string; state: SubscriberState },
  outcomes: WebhookOutcome[],
  now: Date,
): { statements: Statement[]; disabled: boolean } {
  let health: Health = webhook;
  let result: { statements: Statement[]; disabled: boolean } = { statements: [], disabled: false };
  for (const outcome of outcomes) {
    const before = health;
    const next = healthAfter(health, outcome, now);
    if (next.disable && webhook.state === "active") {
      return webhookOutcomeStatements(db, { ...webhook, ...before }, outcome, now);
    }
    health = { hardFailures: next.hardFailures, failingSince: next.failingSince };
    result = webhookOutcomeStatements(db, { ...webhook, ...before }, outcome, now);
  }
  return result;
}
