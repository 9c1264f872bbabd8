import { and, eq } from "drizzle-orm";
import { subscribers } from "../../db/schema.ts";
import { defineAction, type Outcome } from "../actions/define.ts";
import { loadComponentState } from "../components/component-state.ts";
import { confirmationStatements } from "../subscribers/personal-event.ts";
import { guessWebhookFormat } from "./guess-format.ts";
import { planWebhookRow } from "./plan-webhook.ts";
import { anyPolicyWebhookInputs, checkWebhookUrl } from "./schemas.ts";
import { newWebhookSecret } from "./secret.ts";

/** What the public form answers: the same whether or not the URL was already subscribed. */
export type WebhookSubscribed = { status: "confirmation_sent" };

/**
 * Self-serve from the public subscribe form: the webhook is stored unconfirmed and a confirmation mail
 * goes to its owner (a personal `subscription.confirm` event); nothing is POSTed to the URL until the
 * owner follows the link. Mail rather than a challenge POST, because chat incoming-webhook URLs cannot
 * answer a challenge. The signing secret is not shown here (anyone can post the form); an admin can
 * rotate it and hand it over. Without a format, a chat service's URL gets its shape. Rate limits are the form handler's (`POST /subscribe`).
 */
export const subscribeWebhook = defineAction({
  name: "webhook.subscribe",
  role: "public",
  doing: "subscribe webhooks",
  input: anyPolicyWebhookInputs.create,
  async load(ctx, input) {
    checkWebhookUrl(input.url, ctx.settings);
    const [taken] = await ctx.db
      .select({ id: subscribers.id })
      .from(subscribers)
      .where(and(eq(subscribers.channel, "webhook"), eq(subscribers.address, input.url)));
    return {
      taken: taken !== undefined,
      state: taken ? null : await loadComponentState(ctx.db),
      secret: newWebhookSecret(),
    };
  },
  plan({ taken, state, secret }, input, { now }): Outcome<WebhookSubscribed> {
    if (taken || !state) return { changes: [], result: { status: "confirmation_sent" } };
    const planned = planWebhookRow(
      state,
      { ...input, format: input.format ?? guessWebhookFormat(input.url) },
      { state: "unconfirmed", source: "form", now, secret },
    );
    const mail = confirmationStatements(state.db, planned.row.id, now.toISOString());
    const change = {
      statements: [...planned.statements, ...mail.statements],
      audit: {
        action: "webhook.subscribe",
        targetType: "subscriber",
        targetId: planned.row.id,
        details: { format: planned.row.format, source: "form" },
      },
      jobs: mail.jobs,
    };
    return { changes: [change], result: { status: "confirmation_sent" } };
  },
});
