import { and, eq, sql } from "drizzle-orm";
import { auditLog, subscribers } from "../../db/schema.ts";
import { requireRole } from "../actions/authorize.ts";
import type { ActionContext } from "../actions/context.ts";
import { commitChange } from "../changes/commit.ts";
import { webhookAuditDetails } from "./webhook-audit.ts";
import { getWebhook } from "./webhook-view.ts";

/**
 * Removes a webhook and its scope; its pending deliveries are dropped by the sender (no subscriber).
 * Its older audit entries lose any URL or owner's address they were written with.
 */
export async function deleteWebhook(ctx: ActionContext, id: string): Promise<void> {
  requireRole(ctx, "admin", "delete webhooks");
  const row = await getWebhook(ctx.db, id);
  await commitChange(ctx, {
    statements: [
      ctx.db
        .update(auditLog)
        .set({ details: sql`json_remove(${auditLog.details}, '$.url', '$.owner_email')` })
        .where(and(eq(auditLog.targetType, "subscriber"), eq(auditLog.targetId, id))),
      ctx.db.delete(subscribers).where(eq(subscribers.id, id)),
    ],
    audit: {
      action: "webhook.delete",
      targetType: "subscriber",
      targetId: id,
      details: webhookAuditDetails(row.address, { format: row.format }),
    },
    jobs: [],
  });
}
