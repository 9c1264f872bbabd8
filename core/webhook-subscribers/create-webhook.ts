import { and, eq } from "drizzle-orm";
import { subscribers } from "../../db/schema.ts";
import { defineAction, type Outcome } from "../actions/define.ts";
import { invalid } from "../actions/errors.ts";
import { loadComponentState } from "../components/component-state.ts";
import { planWebhookRow } from "./plan-webhook.ts";
import { anyPolicyWebhookInputs, checkWebhookUrl } from "./schemas.ts";
import { newWebhookSecret } from "./secret.ts";
import { webhookAuditDetails } from "./webhook-audit.ts";
import type { WebhookWithSecret } from "./webhook-view.ts";

export type { WebhookWithSecret };

/**
 * An admin adds a webhook: active at once (the admin vouches for the URL), its secret shown once; marked
 * `team`, it is a team destination too.
 */
export const createWebhook = defineAction({
  name: "webhook.create",
  role: "admin",
  doing: "create webhooks",
  input: anyPolicyWebhookInputs.admin,
  async load(ctx, input) {
    checkWebhookUrl(input.url, ctx.settings);
    const [[taken], state] = await Promise.all([
      ctx.db
        .select({ id: subscribers.id })
        .from(subscribers)
        .where(and(eq(subscribers.channel, "webhook"), eq(subscribers.address, input.url))),
      loadComponentState(ctx.db),
    ]);
    // Made here, not in the plan: a plan draws no randomness beyond new ids.
    return { taken, state, secret: newWebhookSecret() };
  },
  plan({ taken, state, secret }, input, { now }): Outcome<WebhookWithSecret> {
    if (taken) {
      throw invalid(`A webhook for this URL already exists (${taken.id}).`, [
        { path: "url", message: `already a webhook (${taken.id})` },
      ]);
    }
    const planned = planWebhookRow(state, input, {
      state: "active",
      source: "api",
      now,
      secret,
      team: input.team ?? false,
    });
    const change = {
      statements: planned.statements,
      audit: {
        action: "webhook.create",
        targetType: "subscriber",
        targetId: planned.row.id,
        details: webhookAuditDetails(input.url, { format: planned.row.format, team: planned.row.team }),
      },
      jobs: [],
    };
    return { changes: [change], result: { ...planned.view, secret: planned.secret } };
  },
});
