import { asc, eq } from "drizzle-orm";
import { subscribers } from "../../db/schema.ts";
import { requireRole } from "../actions/authorize.ts";
import type { ActionContext } from "../actions/context.ts";
import { type WebhookView, webhookScopes, webhookView } from "./webhook-view.ts";

/** Every webhook, oldest first, without secrets. */
export async function listWebhooks(ctx: ActionContext): Promise<WebhookView[]> {
  requireRole(ctx, "admin", "list webhooks");
  const rows = await ctx.db
    .select()
    .from(subscribers)
    .where(eq(subscribers.channel, "webhook"))
    .orderBy(asc(subscribers.createdAt), asc(subscribers.id));
  const scopes = await webhookScopes(
    ctx.db,
    rows.filter((r) => !r.allComponents).map((r) => r.id),
  );
  return rows.map((row) => webhookView(row, scopes.get(row.id) ?? []));
}
