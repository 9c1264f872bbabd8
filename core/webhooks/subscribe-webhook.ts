import { and, eq } from "drizzle-orm";
import { subscribers } from "../../db/schema.ts";
import type { ActionContext } from "../actions/context.ts";
import { parseInput } from "../actions/validation.ts";
import { commitChange } from "../changes/commit.ts";
import { loadComponentState } from "../components/component-state.ts";
import { confirmationStatements } from "../subscribers/personal-event.ts";
import { guessWebhookFormat } from "./guess-format.ts";
import { planWebhookRow } from "./plan-webhook.ts";
import { webhookInputs } from "./schemas.ts";
import { webhookUrlPolicy } from "./url-policy.ts";

/** What the public form answers: the same whether or not the URL was already subscribed. */
export type WebhookSubscribed = { status: "confirmation_sent" };

/**
 * Self-serve from the public subscribe form: the webhook is stored unconfirmed and a confirmation mail
 * goes to its owner (a personal `subscription.confirm` event); nothing is POSTed to the URL until the
 * owner follows the link. Mail rather than a challenge POST, because chat incoming-webhook URLs cannot
 * answer a challenge. The signing secret is not shown here (anyone can post the form); an admin can
 * rotate it and hand it over. Without a format, a chat service's URL gets its shape. Rate limits are the form handler's (`POST /subscribe`).
 */
export async function subscribeWebhook(ctx: ActionContext, rawInput: unknown): Promise<WebhookSubscribed> {
  const input = parseInput(webhookInputs(webhookUrlPolicy(ctx.settings)).create, rawInput);
  const [taken] = await ctx.db
    .select({ id: subscribers.id })
    .from(subscribers)
    .where(and(eq(subscribers.channel, "webhook"), eq(subscribers.address, input.url)));
  if (taken) return { status: "confirmation_sent" };
  const now = ctx.clock.now();
  const at = now.toISOString();
  const planned = planWebhookRow(
    await loadComponentState(ctx.db),
    { ...input, format: input.format ?? guessWebhookFormat(input.url) },
    {
      state: "unconfirmed",
      source: "form",
      now,
    },
  );
  const mail = confirmationStatements(ctx.db, planned.row.id, at);
  await commitChange(ctx, {
    statements: [...planned.statements, ...mail.statements],
    audit: {
      action: "webhook.subscribe",
      targetType: "subscriber",
      targetId: planned.row.id,
      details: { format: planned.row.format, source: "form" },
    },
    jobs: mail.jobs,
  });
  return { status: "confirmation_sent" };
}
