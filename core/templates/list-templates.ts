import { requireRole } from "../actions/authorize.ts";
import type { ActionContext } from "../actions/context.ts";
import { getTemplateRow, listTemplateRows, type TemplateView, templateView } from "./template-view.ts";

export async function listTemplates(ctx: ActionContext): Promise<TemplateView[]> {
  requireRole(ctx, "viewer", "list templates");
  return (await listTemplateRows(ctx.db)).map(templateView);
}

export async function getTemplate(ctx: ActionContext, id: string): Promise<TemplateView> {
  requireRole(ctx, "viewer", "read templates");
  return templateView(await getTemplateRow(ctx.db, id));
}
