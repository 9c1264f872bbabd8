import { isNull } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { alertSources, templates } from "../../../db/schema.ts";
import { type FieldError, invalid } from "../../actions/errors.ts";
import { listComponents } from "../../components/load-components.ts";
import type { ComponentRow } from "../../model/rows.ts";

/** What a rule refers to, read once: components, the templates (id → kind) and the sources that exist. */
export type RuleReferences = {
  components: Pick<ComponentRow, "id" | "isGroup" | "name">[];
  templates: Map<string, "incident" | "maintenance">;
  sources: Set<string>;
};

export async function loadRuleReferences(db: Db): Promise<RuleReferences> {
  const [components, templateRows, sources] = await Promise.all([
    listComponents(db),
    db.select({ id: templates.id, kind: templates.kind }).from(templates).where(isNull(templates.deletedAt)),
    db.select({ id: alertSources.id }).from(alertSources).where(isNull(alertSources.revokedAt)),
  ]);
  return {
    components,
    templates: new Map(templateRows.map((t) => [t.id, t.kind])),
    sources: new Set(sources.map((s) => s.id)),
  };
}

/** Refuses (422, naming each field) components that do not exist or are groups, a template that is not an incident's, unknown sources. */
export function checkRuleReferences(
  refs: RuleReferences,
  rule: {
    component_ids?: string[] | undefined;
    template_id?: string | null | undefined;
    source_ids?: string[] | null | undefined;
  },
): void {
  const errors: FieldError[] = [];
  (rule.component_ids ?? []).forEach((id, i) => {
    const component = refs.components.find((c) => c.id === id);
    if (!component) errors.push({ path: `component_ids.${i}`, message: `there is no component "${id}"` });
    else if (component.isGroup) {
      errors.push({ path: `component_ids.${i}`, message: `"${component.name}" is a group; name its components` });
    }
  });
  const template = rule.template_id;
  if (template !== undefined && template !== null) {
    const kind = refs.templates.get(template);
    if (!kind) errors.push({ path: "template_id", message: `there is no template "${template}"` });
    else if (kind !== "incident")
      errors.push({
        path: "template_id",
        message: `"${template}" is a ${kind} template; a draft needs an incident template`,
      });
  }
  (rule.source_ids ?? []).forEach((id, i) => {
    if (!refs.sources.has(id)) errors.push({ path: `source_ids.${i}`, message: `there is no alert source "${id}"` });
  });
  if (errors.length > 0) throw invalid("The rule refers to things that do not exist or do not fit.", errors);
}
