import { z } from "zod";
import type { ActionContext } from "../actions/context.ts";
import { defineQuery } from "../actions/define.ts";
import { listComponents } from "../components/load-components.ts";
import { plannedUpdate, planPostPreview } from "../incidents/plan-post-preview.ts";
import { checkUpdateComponents } from "../incidents/update-rules.ts";
import type { ComponentRow } from "../model/rows.ts";
import {
  COMPONENT_STATUSES,
  type ComponentStatus,
  IMPACTS,
  INCIDENT_STATUSES,
  MAINTENANCE_STATUSES,
} from "../model/statuses.ts";
import { getPage } from "../page/get-page.ts";
import { checkTemplate } from "./check-template.ts";
import { requestFromTemplate, resolveTemplateRequest } from "./resolve.ts";
import { createTemplateInput, previewTemplateInput, type Template, type VariableDeclaration } from "./schemas.ts";
import { getTemplateRow } from "./template-view.ts";

/** What a post from a template would show; `body_html` is exactly what the page and the mail show. */
export const templatePreviewSchema = z.strictObject({
  title: z.string(),
  status: z.enum([...INCIDENT_STATUSES, ...MAINTENANCE_STATUSES]),
  impact: z.enum(IMPACTS),
  components: z.record(z.string(), z.enum(COMPONENT_STATUSES)),
  next_update_in_minutes: z.int().nullable(),
  body_md: z.string(),
  body_html: z.string(),
});

export type TemplatePreview = z.output<typeof templatePreviewSchema>;

/**
 * Renders a template as opening an incident (or, with `incident_id`, as an update of it) would, with the
 * same resolution and the same checks, and writes nothing.
 */
export const previewTemplate = defineQuery({
  name: "template.preview",
  // It writes nothing and shows only what reading the template shows: a viewer sees it too.
  role: "viewer",
  doing: "preview templates",
  input: previewTemplateInput.extend({ id: z.string().describe("the template's id") }),
  async read(ctx, { id, incident_id: incidentId, ...post }, now): Promise<TemplatePreview> {
    await getTemplateRow(ctx.db, id);
    const resolved = await requestFromTemplate(ctx.db, { ...post, template: id }, incidentId ?? null, now);
    return previewOf(ctx, resolved, incidentId ?? null, now);
  },
});

/**
 * Renders a template that is being written and not saved (the fields `POST /api/templates` takes) as
 * opening an incident or maintenance from it would, its variables at their sample values: the same
 * checks as saving it, then the same resolution as posting from it. Writes nothing.
 */
export const previewTemplateDraft = defineQuery({
  name: "template.preview-draft",
  role: "commander",
  doing: "preview templates",
  input: createTemplateInput,
  async read(ctx, input, now): Promise<TemplatePreview> {
    const template: Template = { ...input, id: input.id ?? DRAFT_ID };
    checkTemplate(template);
    const [page, components] = await Promise.all([getPage(ctx.db), listComponents(ctx.db)]);
    checkUpdateComponents(components, template.components);
    const resolved = resolveTemplateRequest(
      template,
      {
        template: template.id,
        variables: sampleVariableValues(template.variables),
        ...sampleComponents(template, components),
      },
      { page, components, incident: null, now },
    );
    return previewOf(ctx, resolved, null, now);
  },
});

/** The id a draft without one previews under (never stored). */
const DRAFT_ID = "draft";

/** A variable as a preview fills it in: its default, its first choice, or its name in brackets. */
export function sampleVariableValues(variables: VariableDeclaration[]): Record<string, string> {
  return Object.fromEntries(
    variables.map((v) => [v.name, v.default ?? Object.keys(v.choices ?? {})[0] ?? `[${v.name}]`]),
  );
}

/**
 * A draft that names no components is previewed with the page's first component, as a post from it
 * must name one: in the template's status, or as it is (operational) when the template gives none.
 */
function sampleComponents(
  template: Template,
  components: ComponentRow[],
): { components?: string[] | Record<string, ComponentStatus> } {
  const first = components.find((c) => !c.isGroup);
  if (!first || Object.keys(template.components).length > 0) return {};
  return template.component_status === null
    ? { components: { [first.id]: "operational" } }
    : { components: [first.id] };
}

/**
 * What the post a resolved template request stands for would show: the plan posting it would run on
 * the loaded state (the same checks and refusals), committed nothing. A maintenance previewed before
 * its window is chosen is planned with a placeholder window; its text still says "(not scheduled yet)".
 */
async function previewOf(
  ctx: ActionContext,
  resolved: unknown,
  incidentId: string | null,
  now: Date,
): Promise<TemplatePreview> {
  const planned = await planPostPreview(ctx, resolved, incidentId, now, "placeholder");
  const update = plannedUpdate(planned);
  return {
    title: planned.record.name,
    status: update.status,
    impact: planned.record.impact,
    components: Object.fromEntries(update.componentChanges.map((c) => [c.componentId, c.newStatus])),
    // The promise the post makes: none once it closes the incident, the page's cadence when it names none.
    next_update_in_minutes: planned.record.nextUpdateDueAt === null ? null : update.nextUpdateInMinutes,
    body_md: update.bodyMd,
    body_html: update.bodyHtml,
  };
}
