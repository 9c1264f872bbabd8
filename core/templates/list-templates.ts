import { z } from "zod";
import { defineQuery } from "../actions/define.ts";
import { getTemplateRow, listTemplateRows, type TemplateView, templateView } from "./template-view.ts";

export const listTemplates = defineQuery({
  name: "template.list",
  role: "viewer",
  doing: "list templates",
  input: z.object({}),
  read: async (ctx): Promise<TemplateView[]> => (await listTemplateRows(ctx.db)).map(templateView),
});

export const getTemplate = defineQuery({
  name: "template.get",
  role: "viewer",
  doing: "read templates",
  input: z.object({ id: z.string().describe("the template's id") }),
  read: async (ctx, { id }): Promise<TemplateView> => templateView(await getTemplateRow(ctx.db, id)),
});
