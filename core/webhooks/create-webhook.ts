import { and, eq } from "drizzle-orm";
import { subscribers } from "../../db/schema.ts";
import { requireRole } from "../actions/authorize.ts";
import type { ActionContext } from "../actions/context.ts";
import { invalid } from "../actions/errors.ts";
import { parseInput } from "../actions/validation.ts";
import { commitChange } from "../changes/commit.ts";
import { loadComponentState } from "../components/component-state.ts";
import { planWebhookRow } from "./plan-webhook.ts";
import { webhookInputs } from "./schemas.ts";
import { webhookUrlPolicy } from "./url-policy.ts";
import { webhookAuditDetails } from "./webhook-audit.ts";
import type { WebhookView } from "./webhook-view.ts";

/** A webhook with its signing secret, which is shown only here and on rotation. */
export type WebhookWithSecret = WebhookView & { secret: string };

/**
 * An admin adds a webhook: active at once (the admin vouches for the URL), its secret shown once; marked
 * `team`, it is a team destination too.
 */
export async function createWebhook(ctx: ActionContext, rawInput: unknown): Promise<WebhookWithSecret> {
  requireRole(ctx, "admin", "create webhooks");
  const input = parseInput(webhookInputs(webhookUrlPolicy(ctx.settings)).admin, rawInput);
  const [taken] = await ctx.db
    .select({ id: subscribers.id })
    .from(subscribers)
    .where(and(eq(subscribers.channel, "webhook"), eq(subscribers.address, input.url)));
  if (taken) {
    throw invalid(`A webhook for this URL already exists (${taken.id}).`, [
      { path: "url", message: `already a webhook (${taken.id})` },
    ]);
  }
  const planned = planWebhookRow(await loadComponentState(ctx.db), input, {
    state: "active",
    source: "api",
    now: ctx.clock.now(),
    team: input.team ?? false,
  });
  await commitChange(ctx, {
    statements: planned.statements,
    audit: {
      action: "webhook.create",
      targetType: "subscriber",
      targetId: planned.row.id,
      details: webhookAuditDetails(input.url, { format: planned.row.format, team: planned.row.team }),
    },
    jobs: [],
  });
  return { ...planned.view, secret: planned.secret };
}
