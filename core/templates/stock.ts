import bundle from "../../templates/stock-templates.json" with { type: "json" };
import { parseInput } from "../actions/validation.ts";
import { checkTemplate } from "./check-template.ts";
import { createTemplateInput, type Template } from "./schemas.ts";

/**
 * The stock templates: templates/incidents/*.md and templates/maintenance/*.md, bundled by
 * `npm run templates` (core/ cannot read files: it runs in workerd too). Each is checked like a template
 * sent to the API.
 */
export function stockTemplates(): Template[] {
  return (bundle as unknown[]).map((raw) => {
    const input = parseInput(createTemplateInput, raw);
    if (!input.id) throw new Error(`A stock template has no id: ${JSON.stringify(raw).slice(0, 80)}`);
    const template = { ...input, id: input.id };
    checkTemplate(template);
    return template;
  });
}
