import { eq } from "drizzle-orm";
import { z } from "zod";
import { templates } from "../../db/schema.ts";
import { defineAction, type Outcome } from "../actions/define.ts";
import { getTemplateRow } from "./template-view.ts";

/**
 * Deletes a template. Its row stays as a tombstone (`deleted_at`), so a deleted stock template is not
 * seeded again at the next start; creating a template with its id later replaces the tombstone.
 */
export const deleteTemplate = defineAction({
  name: "template.delete",
  role: "commander",
  doing: "delete templates",
  input: z.object({ id: z.string().describe("the template's id") }),
  load: async (ctx, { id }) => ({ db: ctx.db, row: await getTemplateRow(ctx.db, id) }),
  plan({ db, row }, { id }, { now }): Outcome<null> {
    const at = now.toISOString();
    const change = {
      statements: [db.update(templates).set({ deletedAt: at, updatedAt: at }).where(eq(templates.id, id))],
      audit: {
        action: "template.delete",
        targetType: "template",
        targetId: id,
        details: { name: row.name, source: row.source },
      },
      jobs: [],
    };
    return { changes: [change], result: null };
  },
});
