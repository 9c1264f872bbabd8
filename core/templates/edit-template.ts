import { eq } from "drizzle-orm";
import { z } from "zod";
import { templates } from "../../db/schema.ts";
import { defineAction, type Outcome } from "../actions/define.ts";
import { listComponents } from "../components/load-components.ts";
import { checkUpdateComponents } from "../incidents/update-rules.ts";
import { checkTemplate } from "./check-template.ts";
import { editTemplateInput } from "./schemas.ts";
import { getTemplateRow, type TemplateView, templateColumns, templateOf, templateView } from "./template-view.ts";

/** The template's id (from the path) and the fields to change. */
const editTemplateRequest = z
  .object({ ...editTemplateInput.shape, id: z.string().describe("the template's id") })
  .strict()
  .refine((request) => Object.keys(request).length > 1, "give at least one field to change");

/** Changes the fields given; the template as a whole must still be usable. A stock template edited stays edited. */
export const editTemplate = defineAction({
  name: "template.edit",
  role: "commander",
  doing: "edit templates",
  input: editTemplateRequest,
  async load(ctx, { id }) {
    const [current, components] = await Promise.all([getTemplateRow(ctx.db, id), listComponents(ctx.db)]);
    return { db: ctx.db, current, components };
  },
  plan({ db, current, components }, { id, ...changes }, { now }): Outcome<TemplateView> {
    const template = { ...templateOf(current), ...changes };
    checkTemplate(template);
    checkUpdateComponents(components, template.components);
    const row = { ...current, ...templateColumns(template), updatedAt: now.toISOString() };
    const change = {
      statements: [db.update(templates).set(row).where(eq(templates.id, id))],
      audit: { action: "template.edit", targetType: "template", targetId: id, details: { ...changes } },
      jobs: [],
    };
    return { changes: [change], result: templateView(row) };
  },
});
