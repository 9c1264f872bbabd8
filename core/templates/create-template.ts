import { eq } from "drizzle-orm";
import { templates } from "../../db/schema.ts";
import { requireRole } from "../actions/authorize.ts";
import type { ActionContext } from "../actions/context.ts";
import { HeraldError } from "../actions/errors.ts";
import { parseInput } from "../actions/validation.ts";
import { commitChange } from "../changes/commit.ts";
import { listComponents } from "../components/load-components.ts";
import { checkUpdateComponents } from "../incidents/update-rules.ts";
import { checkTemplate } from "./check-template.ts";
import { createTemplateInput, TEMPLATE_ID } from "./schemas.ts";
import { type TemplateView, templateColumns, templateView } from "./template-view.ts";

/** A commander adds a template of the team's own; its id is made from its name unless given. */
export async function createTemplate(ctx: ActionContext, rawInput: unknown): Promise<TemplateView> {
  requireRole(ctx, "commander", "create templates");
  const input = parseInput(createTemplateInput, rawInput);
  const template = { ...input, id: input.id ?? idFromName(input.name) };
  checkTemplate(template);
  checkUpdateComponents(await listComponents(ctx.db), template.components);
  const [existing] = await ctx.db.select().from(templates).where(eq(templates.id, template.id));
  if (existing && existing.deletedAt === null) {
    throw new HeraldError("conflict", `There is already a template "${template.id}".`, [
      { path: "id", message: "already taken" },
    ]);
  }
  const now = ctx.clock.now().toISOString();
  const row = { ...templateColumns(template), source: "api" as const, createdAt: now, updatedAt: now, deletedAt: null };
  // A deleted template's id may be used again: its tombstone is replaced.
  const statement = existing
    ? ctx.db.update(templates).set(row).where(eq(templates.id, template.id))
    : ctx.db.insert(templates).values(row);
  await commitChange(ctx, {
    statements: [statement],
    audit: { action: "template.create", targetType: "template", targetId: template.id, details: { ...template } },
    jobs: [],
  });
  return templateView(row);
}

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
