import { and, eq, sql } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { z } from "zod";
import type { Db } from "../../../db/client.ts";
import { deliveries, subscribers } from "../../../db/schema.ts";
import type { ActionContext } from "../../actions/context.ts";
import { defineAction, type Outcome } from "../../actions/define.ts";
import { HeraldError } from "../../actions/errors.ts";
import type { Change, Statement } from "../../changes/commit.ts";
import { type MailFeedback, resendFeedback } from "./resend-event.ts";

/** A provider's signed report, as the route hands it over: the raw body and its Standard Webhooks (Svix) headers. */
export const mailFeedbackInput = z.object({
  body: z.string(),
  webhook_id: z.string(),
  webhook_timestamp: z.string(),
  webhook_signature: z.string(),
});

export type MailFeedbackResult =
  | { kind: "quarantined"; subscriber_id: string; reason: "bounced" | "complained" }
  | { kind: "counted"; subscriber_id: string; soft_bounces: number }
  /** Already quarantined, unsubscribed, or a report seen before: recorded, nothing else changes. */
  | { kind: "recorded"; subscriber_id: string }
  /** Not about a bounce or a complaint, or about an address that is not a subscriber's. */
  | { kind: "ignored"; reason: string };

type Subscriber = typeof subscribers.$inferSelect;
type Delivery = { id: string; eventId: string; lastError: string | null };
type Loaded = { db: Db; feedback: MailFeedback; subscriber: Subscriber | null; delivery: Delivery | null };

/** What each report is called in the audit log and on the delivery's `last_error`. */
const WORDS = { hard_bounce: "bounced", soft_bounce: "soft bounce", complaint: "complained" } as const;

/**
 * The mail provider's bounce and complaint webhook (Resend, signed the Standard Webhooks way with
 * RESEND_WEBHOOK_SECRET): a hard bounce or a complaint quarantines the address (it gets no more mail,
 * and the admin sees why), a soft bounce is counted. The signature is the authority, so the role is
 * `public`; an unsigned or forged report is refused (401) before anything is read.
 */
export const recordMailFeedback = defineAction({
  name: "mail.feedback",
  role: "public",
  doing: "report bounces",
  input: mailFeedbackInput,
  async load(ctx, input): Promise<Loaded> {
    verify(ctx, input);
    const feedback = resendFeedback(input.body) ?? { kind: "other" as const, type: "(unreadable)" };
    if (feedback.kind === "other") return { db: ctx.db, feedback, subscriber: null, delivery: null };
    const [subscriber] = await ctx.db
      .select()
      .from(subscribers)
      .where(and(eq(subscribers.channel, "email"), eq(subscribers.address, feedback.address)));
    const [delivery] =
      subscriber && feedback.emailId
        ? await ctx.db
            .select({ id: deliveries.id, eventId: deliveries.eventId, lastError: deliveries.lastError })
            .from(deliveries)
            .where(and(eq(deliveries.subscriberId, subscriber.id), eq(deliveries.messageId, feedback.emailId)))
        : [];
    return { db: ctx.db, feedback, subscriber: subscriber ?? null, delivery: delivery ?? null };
  },
  plan({ db, feedback, subscriber, delivery }, input, { now }): Outcome<MailFeedbackResult> {
    if (feedback.kind === "other")
      return { changes: [], result: { kind: "ignored", reason: `a ${feedback.type} event` } };
    if (!subscriber) return { changes: [], result: { kind: "ignored", reason: "not a subscriber's address" } };
    const at = now.toISOString();
    const words = WORDS[feedback.kind];
    // The provider resends a report it thinks was lost: the delivery remembers it was told.
    const seen = delivery?.lastError?.startsWith(`${words}:`) ?? false;
    const statements: Statement[] = [];
    if (delivery && !seen) {
      statements.push(
        db
          .update(deliveries)
          .set({ lastError: `${words}: ${feedback.detail}` })
          .where(eq(deliveries.id, delivery.id)),
      );
      if (feedback.kind !== "soft_bounce") {
        const column = feedback.kind === "complaint" ? "complained" : "bounced";
        statements.push(
          db.run(
            sql`UPDATE notification_events SET ${sql.raw(column)} = ${sql.raw(column)} + 1 WHERE id = ${delivery.eventId}`,
          ),
        );
      }
    }
    let result: MailFeedbackResult = { kind: "recorded", subscriber_id: subscriber.id };
    if (feedback.kind === "soft_bounce" && !seen) {
      statements.push(
        db
          .update(subscribers)
          .set({ softBounces: sql`${subscribers.softBounces} + 1` })
          .where(eq(subscribers.id, subscriber.id)),
      );
      result = { kind: "counted", subscriber_id: subscriber.id, soft_bounces: subscriber.softBounces + 1 };
    }
    if (feedback.kind !== "soft_bounce" && (subscriber.state === "active" || subscriber.state === "unconfirmed")) {
      const reason = feedback.kind === "complaint" ? "complained" : "bounced";
      statements.push(
        db
          .update(subscribers)
          .set({ state: "quarantined", quarantineReason: reason, quarantinedAt: at, updatedAt: at })
          .where(eq(subscribers.id, subscriber.id)),
      );
      result = { kind: "quarantined", subscriber_id: subscriber.id, reason };
    }
    if (statements.length === 0) return { changes: [], result };
    const change: Change = {
      statements,
      audit: {
        action: `subscriber.${feedback.kind}`,
        targetType: "subscriber",
        targetId: subscriber.id,
        details: {
          provider: "resend",
          report: input.webhook_id,
          email_id: feedback.emailId,
          detail: feedback.detail,
          before: subscriber.state,
          ...(delivery ? { event_id: delivery.eventId } : {}),
        },
      },
      jobs: [],
    };
    return { changes: [change], result };
  },
});

/** Throws a 401 unless the body carries a valid signature by RESEND_WEBHOOK_SECRET, made within five minutes. */
function verify(ctx: ActionContext, input: z.output<typeof mailFeedbackInput>): void {
  const secret = ctx.settings?.mailWebhookSecret;
  if (!secret)
    throw new HeraldError(
      "unauthorized",
      "This Herald has no RESEND_WEBHOOK_SECRET: it accepts no mail provider reports.",
    );
  try {
    new Webhook(secret).verify(input.body, {
      "webhook-id": input.webhook_id,
      "webhook-timestamp": input.webhook_timestamp,
      "webhook-signature": input.webhook_signature,
    });
  } catch {
    throw new HeraldError("unauthorized", "The report's signature is missing, wrong or too old.");
  }
}
