import { templates } from "../../db/schema.ts";
import type { ActionContext } from "../actions/context.ts";
import { commitChange } from "../changes/commit.ts";
import { stockTemplates } from "./stock.ts";
import { templateColumns } from "./template-view.ts";

/**
 * Adds every stock template the database has never had (run at each start, so a new Herald version's new
 * templates appear). Existing ones are never overwritten, edited or not, and a deleted one is not brought
 * back (its tombstone row keeps its id). Returns the ids added.
 */
export async function seedStockTemplates(ctx: ActionContext): Promise<string[]> {
  const known = new Set((await ctx.db.select({ id: templates.id }).from(templates)).map((row) => row.id));
  const missing = stockTemplates().filter((template) => !known.has(template.id));
  if (missing.length === 0) return [];
  const now = ctx.clock.now().toISOString();
  await commitChange(ctx, {
    statements: missing.map((template) =>
      ctx.db
        .insert(templates)
        .values({ ...templateColumns(template), source: "stock", createdAt: now, updatedAt: now })
        .onConflictDoNothing(),
    ),
    audit: {
      action: "template.seed",
      targetType: "template",
      targetId: "stock",
      details: { ids: missing.map((t) => t.id) },
    },
    jobs: [],
  });
  return missing.map((t) => t.id);
}
