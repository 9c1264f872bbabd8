import { and, asc, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client.ts";
import { templates } from "../../db/schema.ts";
import { invalid, notFound } from "../actions/errors.ts";
import { COMPONENT_STATUSES, IMPACTS, INCIDENT_STATUSES, MAINTENANCE_STATUSES } from "../model/statuses.ts";
import type { Template, VariableDeclaration } from "./schemas.ts";

export type TemplateRow = typeof templates.$inferSelect;

/** A template as the API shows it. */
export type TemplateView = Template & { source: "stock" | "api"; created_at: string; updated_at: string };

/** `TemplateView` as a schema, for the OpenAPI document (the routes' `respond` typing keeps the two in step). */
export const templateViewSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  kind: z.enum(["incident", "maintenance"]),
  status: z.enum([...INCIDENT_STATUSES, ...MAINTENANCE_STATUSES]),
  title: z.string(),
  body: z.string(),
  impact: z.enum(IMPACTS).nullable(),
  component_status: z.enum(COMPONENT_STATUSES).nullable(),
  components: z.record(z.string(), z.enum(COMPONENT_STATUSES)),
  next_update_in_minutes: z.int().nullable(),
  variables: z.array(
    z.strictObject({
      name: z.string(),
      description: z.string(),
      required: z.boolean(),
      default: z.string().optional(),
      choices: z.record(z.string(), z.string()).optional(),
    }),
  ),
  source: z.enum(["stock", "api"]),
  created_at: z.string(),
  updated_at: z.string(),
});

export function templateOf(row: TemplateRow): Template {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    status: row.status,
    title: row.title,
    body: row.body,
    impact: row.impact,
    component_status: row.componentStatus,
    components: row.components,
    next_update_in_minutes: row.nextUpdateInMinutes,
    variables: row.variables as VariableDeclaration[],
  };
}

export function templateView(row: TemplateRow): TemplateView {
  return { ...templateOf(row), source: row.source, created_at: row.createdAt, updated_at: row.updatedAt };
}

/** The row's columns for a template (its times and source aside). */
export function templateColumns(template: Template) {
  return {
    id: template.id,
    kind: template.kind,
    name: template.name,
    status: template.status,
    title: template.title,
    body: template.body,
    impact: template.impact,
    componentStatus: template.component_status,
    components: template.components,
    nextUpdateInMinutes: template.next_update_in_minutes,
    variables: template.variables,
  };
}

export async function listTemplateRows(db: Db): Promise<TemplateRow[]> {
  return db
    .select()
    .from(templates)
    .where(isNull(templates.deletedAt))
    .orderBy(asc(templates.kind), asc(templates.name), asc(templates.id));
}

export async function findTemplateRow(db: Db, id: string): Promise<TemplateRow | undefined> {
  const [row] = await db
    .select()
    .from(templates)
    .where(and(eq(templates.id, id), isNull(templates.deletedAt)));
  return row;
}

/** The template at `/api/templates/{id}`: 404 when there is none. */
export async function getTemplateRow(db: Db, id: string): Promise<TemplateRow> {
  const row = await findTemplateRow(db, id);
  if (!row) throw notFound(`There is no template "${id}".`);
  return row;
}

/** The template a post names in its body: 422 naming `template` when there is none. */
export async function templateNamedInRequest(db: Db, id: string): Promise<Template> {
  const row = await findTemplateRow(db, id);
  if (!row) throw invalid(`There is no template "${id}".`, [{ path: "template", message: "no such template" }]);
  return templateOf(row);
}
