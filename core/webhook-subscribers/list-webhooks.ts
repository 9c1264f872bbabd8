import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import { subscribers } from "../../db/schema.ts";
import { defineQuery } from "../actions/define.ts";
import { webhookScopes, webhookView } from "./webhook-view.ts";

/** Every webhook, oldest first, without secrets. */
export const listWebhooks = defineQuery({
  name: "webhook.list",
  role: "admin",
  doing: "list webhooks",
  input: z.object({}),
  async read(ctx) {
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
  },
});
