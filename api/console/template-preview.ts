import type { ActionContext } from "../../core/actions/context.ts";
import { run } from "../../core/actions/run.ts";
import { previewTemplate, type TemplatePreview } from "../../core/templates/preview-template.ts";
import { openInputFromForm, updateInputFromForm } from "./incident-form.ts";
import { type Attempt, attempt } from "./render.ts";
import { type FormValues, fieldName, type Refusal } from "./ui/form.tsx";

/** What a template's preview is for: opening an incident or a maintenance, or an update of one. */
export type PreviewTarget = { kind: "incident" | "maintenance" } | { incidentId: string };

/**
 * The preview of the post this form would make from its template: core's template preview (the same
 * resolution, checks and Markdown path as the post), so it is exactly what the page and the mail show.
 */
export function previewFromForm(
  ctx: ActionContext,
  form: FormValues,
  target: PreviewTarget,
): Promise<Attempt<TemplatePreview>> {
  const id = form.template ?? "";
  const { template: _, ...input } =
    "incidentId" in target
      ? { ...updateInputFromForm(form), incident_id: target.incidentId }
      : openInputFromForm(form, target.kind);
  return attempt(() => run(ctx, previewTemplate, { id, ...input }));
}

/** Where the live preview of a template form posts. */
export function previewUrl(templateId: string, target: PreviewTarget): string {
  const query = "incidentId" in target ? `incident=${target.incidentId}` : `kind=${target.kind}`;
  return `/admin/templates/${templateId}/preview?${query}`;
}

/** Why a template's preview cannot be shown yet, in words. */
export function previewProblem(refusal: Refusal): string {
  if (refusal.fields.length === 0) return refusal.message;
  if (refusal.fields.some((f) => f.path === "components")) return "Choose the affected components to see the preview.";
  const blanks = refusal.fields.map((f) => /^variables\.(\w+)$/.exec(f.path)?.[1]);
  if (blanks.every(Boolean))
    return `Fill in ${blanks.map((b) => `“${b?.replace(/_/g, " ")}”`).join(", ")} to see the preview.`;
  return `Not ready to preview: ${refusal.fields.map((f) => `${fieldName(f.path)}: ${f.message}`).join("; ")}.`;
}
