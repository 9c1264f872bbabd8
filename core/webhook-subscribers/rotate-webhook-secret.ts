import { eq } from "drizzle-orm";
import { subscribers } from "../../db/schema.ts";
import { defineAction, type Outcome } from "../actions/define.ts";
import { webhookIdInput } from "./schemas.ts";
import { newWebhookSecret } from "./secret.ts";
import { webhookAuditDetails } from "./webhook-audit.ts";
import { getWebhook, type WebhookWithSecret, webhookScopes, webhookView } from "./webhook-view.ts";

/**
 * Replaces a webhook's signing secret at once and shows the new one once. Deliveries signed from now on
 * carry the new secret; a receiver should accept both while it switches (Standard Webhooks allows
 * several signatures, but Herald keeps one secret per webhook).
 */
export const rotateWebhookSecret = defineAction({
  name: "webhook.rotate_secret",
  role: "admin",
  doing: "rotate webhook secrets",
  input: webhookIdInput,
  async load(ctx, { id }) {
    const row = await getWebhook(ctx.db, id);
    const scopes = await webhookScopes(ctx.db, [id]);
    return { db: ctx.db, row, scope: scopes.get(id) ?? [], secret: newWebhookSecret() };
  },
  plan({ db, row, scope, secret }, _input, { now }): Outcome<WebhookWithSecret> {
    const updatedAt = now.toISOString();
    const change = {
      statements: [db.update(subscribers).set({ webhookSecret: secret, updatedAt }).where(eq(subscribers.id, row.id))],
      audit: {
        action: "webhook.rotate_secret",
        targetType: "subscriber",
        targetId: row.id,
        details: webhookAuditDetails(row.address),
      },
      jobs: [],
    };
    return {
      changes: [change],
      result: { ...webhookView({ ...row, webhookSecret: secret, updatedAt }, scope), secret },
    };
  },
});
