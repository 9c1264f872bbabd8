import { eq } from "drizzle-orm";
import { templates } from "../../db/schema.ts";
import { defineAction, type Outcome } from "../actions/define.ts";
import { HeraldError } from "../actions/errors.ts";
import { listComponents } from "../components/load-components.ts";
import { checkUpdateComponents } from "../incidents/update-rules.ts";
import { checkTemplate } from "./check-template.ts";
import { createTemplateInput, TEMPLATE_ID } from "./schemas.ts";
import { type TemplateView, templateColumns, templateView } from "./template-view.ts";

/** A commander adds a template of the team's own; its id is made from its name unless given. */
export const createTemplate = defineAction({
  name: "template.create",
  role: "commander",
  doing: "create templates",
  input: createTemplateInput,
  async load(ctx, input) {
    const id = input.id ?? idFromName(input.name);
    const [components, [existing]] = await Promise.all([
      listComponents(ctx.db),
      ctx.db.select().from(templates).where(eq(templates.id, id)),
    ]);
    return { db: ctx.db, id, components, existing };
  },
  plan({ db, id, components, existing }, input, { now }): Outcome<TemplateView> {
    const template = { ...input, id };
    checkTemplate(template);
    checkUpdateComponents(components, template.components);
    if (existing && existing.deletedAt === null) {
      throw new HeraldError("conflict", `There is already a template "${template.id}".`, [
        { path: "id", message: "already taken" },
      ]);
    }
    const at = now.toISOString();
    const row = { ...templateColumns(template), source: "api" as const, createdAt: at, updatedAt: at, deletedAt: null };
    // A deleted template's id may be used again: its tombstone is replaced.
    const statement = existing
      ? db.update(templates).set(row).where(eq(templates.id, template.id))
      : db.insert(templates).values(row);
    const change = {
      statements: [statement],
      audit: { action: "template.create", targetType: "template", targetId: template.id, details: { ...template } },
      jobs: [],
    };
    return { changes: [change], result: templateView(row) };
  },
});

/** "Database failover (EU)" → "database-failover-eu". */
function idFromName(name: string): string {
  const slug = name
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 64)
    .replace(/-+$/, "");
  return TEMPLATE_ID.test(slug) ? slug : "template";
}
