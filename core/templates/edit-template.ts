import { eq } from "drizzle-orm";
import { templates } from "../../db/schema.ts";
import { requireRole } from "../actions/authorize.ts";
import type { ActionContext } from "../actions/context.ts";
import { parseInput } from "../actions/validation.ts";
import { commitChange } from "../changes/commit.ts";
import { listComponents } from "../components/load-components.ts";
import { checkUpdateComponents } from "../incidents/update-rules.ts";
import { checkTemplate } from "./check-template.ts";
import { editTemplateInput } from "./schemas.ts";
import { getTemplateRow, type TemplateView, templateColumns, templateOf, templateView } from "./template-view.ts";

/** Changes the fields given; the template as a whole must still be usable. A stock template edited stays edited. */
export async function editTemplate(ctx: ActionContext, id: string, rawInput: unknown): Promise<TemplateView> {
  requireRole(ctx, "commander", "edit templates");
  const current = await getTemplateRow(ctx.db, id);
  const changes = parseInput(editTemplateInput, rawInput);
  const template = { ...templateOf(current), ...changes };
  checkTemplate(template);
  checkUpdateComponents(await listComponents(ctx.db), template.components);
  const row = { ...current, ...templateColumns(template), updatedAt: ctx.clock.now().toISOString() };
  await commitChange(ctx, {
    statements: [ctx.db.update(templates).set(row).where(eq(templates.id, id))],
    audit: { action: "template.edit", targetType: "template", targetId: id, details: { ...changes } },
    jobs: [],
  });
  return templateView(row);
}
