import { eq } from "drizzle-orm";
import { templates } from "../../db/schema.ts";
import { requireRole } from "../actions/authorize.ts";
import type { ActionContext } from "../actions/context.ts";
import { commitChange } from "../changes/commit.ts";
import { getTemplateRow } from "./template-view.ts";

/**
 * Deletes a template. Its row stays as a tombstone (`deleted_at`), so a deleted stock template is not
 * seeded again at the next start; creating a template with its id later replaces the tombstone.
 */
export async function deleteTemplate(ctx: ActionContext, id: string): Promise<void> {
  requireRole(ctx, "commander", "delete templates");
  const row = await getTemplateRow(ctx.db, id);
  const now = ctx.clock.now().toISOString();
  await commitChange(ctx, {
    statements: [ctx.db.update(templates).set({ deletedAt: now, updatedAt: now }).where(eq(templates.id, id))],
    audit: {
      action: "template.delete",
      targetType: "template",
      targetId: id,
      details: { name: row.name, source: row.source },
    },
    jobs: [],
  });
}
