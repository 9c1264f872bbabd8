import { and, eq, sql } from "drizzle-orm";
import { auditLog, subscribers } from "../../db/schema.ts";
import { defineAction, type Outcome } from "../actions/define.ts";
import { webhookIdInput } from "./schemas.ts";
import { webhookAuditDetails } from "./webhook-audit.ts";
import { getWebhook } from "./webhook-view.ts";

/**
 * Removes a webhook and its scope; its pending deliveries are dropped by the sender (no subscriber).
 * Its older audit entries lose any URL or owner's address they were written with.
 */
export const deleteWebhook = defineAction({
  name: "webhook.delete",
  role: "admin",
  doing: "delete webhooks",
  input: webhookIdInput,
  async load(ctx, { id }) {
    return { db: ctx.db, row: await getWebhook(ctx.db, id) };
  },
  plan({ db, row }): Outcome<{ outcome: "deleted" }> {
    const change = {
      statements: [
        db
          .update(auditLog)
          .set({ details: sql`json_remove(${auditLog.details}, '$.url', '$.owner_email')` })
          .where(and(eq(auditLog.targetType, "subscriber"), eq(auditLog.targetId, row.id))),
        db.delete(subscribers).where(eq(subscribers.id, row.id)),
      ],
      audit: {
        action: "webhook.delete",
        targetType: "subscriber",
        targetId: row.id,
        details: webhookAuditDetails(row.address, { format: row.format }),
      },
      jobs: [],
    };
    return { changes: [change], result: { outcome: "deleted" } };
  },
});
