import type { AnyOperation, InputOf } from "../../core/actions/define.ts";
import type { createTemplate } from "../../core/templates/create-template.ts";
import type { TemplateView } from "../../core/templates/template-view.ts";
import type { FormValues } from "./ui/form.tsx";

const VARIABLE_PREFIX = "var.";

/** A whole number as a number; anything else as typed, so core's schema names the field. */
export function whole(value: string): number | string {
  return /^\d+$/.test(value) ? Number(value) : value;
}

export function variableField(name: string): string {
  return `${VARIABLE_PREFIX}${name}`;
}

/**
 * The template and its variables a form carries, in the API's shape (core resolves and checks them).
 * An empty variable is left out, so the template's default applies or core names it as missing.
 */
export function templateInputFromForm(form: FormValues): { template?: string; variables?: Record<string, string> } {
  if (!form.template) return {};
  const variables: Record<string, string> = {};
  for (const [key, value] of Object.entries(form)) {
    if (key.startsWith(VARIABLE_PREFIX) && value !== "") variables[key.slice(VARIABLE_PREFIX.length)] = value;
  }
  return { template: form.template, variables };
}

/** What choosing a template fills in: its status, impact, promise, component statuses and variable defaults, all overridable. */
export function formFromTemplate(template: TemplateView): FormValues {
  const values: FormValues = {
    template: template.id,
    status: template.status,
    impact: template.impact ?? "",
    next_update_in: template.next_update_in_minutes === null ? "" : String(template.next_update_in_minutes),
  };
  for (const [id, status] of Object.entries(template.components)) values[`component.${id}`] = status;
  for (const variable of template.variables) {
    if (variable.default !== undefined) values[variableField(variable.name)] = variable.default;
  }
  return values;
}

/** A template's fields as the template form shows them. */
export function templateFormValues(template: TemplateView): FormValues {
  const values: FormValues = {
    name: template.name,
    kind: template.kind,
    status: template.status,
    title: template.title,
    body: template.body,
    impact: template.impact ?? "",
    component_status: template.component_status ?? "",
    next_update_in_minutes: template.next_update_in_minutes === null ? "" : String(template.next_update_in_minutes),
    variables: JSON.stringify(template.variables, null, 2),
  };
  for (const [id, status] of Object.entries(template.components)) values[`component.${id}`] = status;
  return values;
}

/** The variables box holds the API's JSON list; text that is not JSON goes to core as typed, to be refused there. */
function variablesFromForm(text: string | undefined): unknown {
  if (!text?.trim()) return [];
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * A template action's input as a form gives it: the field names are checked at compile time; the
 * variables box is JSON typed by hand, passed on as it parses (or as text) for core to check.
 */
export type TemplateFormInput<A extends AnyOperation> = Omit<InputOf<A>, "variables"> & { variables: unknown };

/** The template form as the API's template input (core validates every field). */
export function templateInputFromTemplateForm(
  form: FormValues,
  creating: boolean,
): TemplateFormInput<typeof createTemplate> {
  const components: Record<string, string> = {};
  for (const [key, value] of Object.entries(form)) {
    if (key.startsWith("component.") && value) components[key.slice("component.".length)] = value;
  }
  const input: TemplateFormInput<typeof createTemplate> = {
    name: form.name ?? "",
    kind: form.kind ?? "",
    status: form.status ?? "",
    title: form.title ?? "",
    body: (form.body ?? "").replace(/\r\n/g, "\n"),
    impact: form.impact || null,
    component_status: form.component_status || null,
    components,
    next_update_in_minutes: form.next_update_in_minutes ? whole(form.next_update_in_minutes) : null,
    variables: variablesFromForm(form.variables),
  };
  if (creating && form.id?.trim()) input.id = form.id.trim();
  return input;
}
