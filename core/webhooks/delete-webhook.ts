import { eq } from "drizzle-orm";
import { subscribers } from "../../db/schema.ts";
import { requireRole } from "../authorize.ts";
import { commitChange } from "../commit.ts";
import type { ActionContext } from "../context.ts";
import { getWebhook } from "./webhook-view.ts";

/** Removes a webhook and its scope; its pending deliveries are dropped by the sender (no subscriber). */
export async function deleteWebhook(ctx: ActionContext, id: string): Promise<void> {
  requireRole(ctx, "admin", "delete webhooks");
  const row = await getWebhook(ctx.db, id);
  await commitChange(ctx, {
    statements: [ctx.db.delete(subscribers).where(eq(subscribers.id, id))],
    audit: {
      action: "webhook.delete",
      targetType: "subscriber",
      targetId: id,
      details: { url: row.address, format: row.format },
    },
    jobs: [],
  });
}
