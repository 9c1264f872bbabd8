import { eq } from "drizzle-orm";
import { subscribers } from "../../db/schema.ts";
import { requireRole } from "../actions/authorize.ts";
import type { ActionContext } from "../actions/context.ts";
import { commitChange } from "../changes/commit.ts";
import type { WebhookWithSecret } from "./create-webhook.ts";
import { newWebhookSecret } from "./secret.ts";
import { webhookAuditDetails } from "./webhook-audit.ts";
import { getWebhook, webhookScopes, webhookView } from "./webhook-view.ts";

/**
 * Replaces a webhook's signing secret at once and shows the new one once. Deliveries signed from now on
 * carry the new secret; a receiver should accept both while it switches (Standard Webhooks allows
 * several signatures, but Herald keeps one secret per webhook).
 */
export async function rotateWebhookSecret(ctx: ActionContext, id: string): Promise<WebhookWithSecret> {
  requireRole(ctx, "admin", "rotate webhook secrets");
  const row = await getWebhook(ctx.db, id);
  const secret = newWebhookSecret();
  const updatedAt = ctx.clock.now().toISOString();
  await commitChange(ctx, {
    statements: [ctx.db.update(subscribers).set({ webhookSecret: secret, updatedAt }).where(eq(subscribers.id, id))],
    audit: {
      action: "webhook.rotate_secret",
      targetType: "subscriber",
      targetId: id,
      details: webhookAuditDetails(row.address),
    },
    jobs: [],
  });
  const scopes = await webhookScopes(ctx.db, [id]);
  return { ...webhookView({ ...row, webhookSecret: secret, updatedAt }, scopes.get(id) ?? []), secret };
}
