import { type FieldError, HeraldError, invalid } from "../actions/errors.ts";
import { type ComponentStatus, isClosingStatus, statusesForKind, type UpdateStatus } from "../model/statuses.ts";
import { updateStatusLook } from "../presentation/status.ts";
import { BUILT_INS, namesUsed } from "./render.ts";
import type { Template } from "./schemas.ts";

const builtIns = new Set<string>(BUILT_INS);

/**
 * Refuses a template that could not be used as written (422 naming the field): tags other than
 * `{{variable}}`, a name neither declared nor built in, a choice's default that is not one of its choices,
 * a status of the other kind, a "next update" time without a promise, a maintenance window on an incident,
 * and a stage that says the trouble is over (monitoring, resolved, completed) while setting components
 * to anything but operational.
 */
export function checkTemplate(template: Template): void {
  const errors: FieldError[] = [];
  const declared = new Map(template.variables.map((v) => [v.name, v]));
  template.variables.forEach((variable, index) => {
    const path = `variables.${index}`;
    if (builtIns.has(variable.name))
      errors.push({ path: `${path}.name`, message: `${variable.name} is built in; choose another name` });
    if (template.variables.findIndex((v) => v.name === variable.name) !== index)
      errors.push({ path: `${path}.name`, message: `${variable.name} is declared twice` });
    const choices = variable.choices && Object.keys(variable.choices);
    if (choices && variable.default !== undefined && !choices.includes(variable.default))
      errors.push({ path: `${path}.default`, message: `must be one of ${choices.join(", ")}` });
  });
  if (!statusesForKind(template.kind).includes(template.status))
    errors.push({ path: "status", message: `use one of ${statusesForKind(template.kind).join(", ")}` });
  if (saysRecovered(template.status)) {
    const label = updateStatusLook(template.status).label;
    if (template.component_status !== null && template.component_status !== "operational")
      errors.push({
        path: "component_status",
        message: `a ${label} update cannot set components to ${template.component_status}; use operational or none`,
      });
    for (const [id, status] of Object.entries(template.components)) {
      if (status !== "operational")
        errors.push({ path: `components.${id}`, message: `a ${label} update cannot set a component to ${status}` });
    }
  }

  const uses = (text: string, path: string, allowChoices: boolean, allowIncidentName: boolean) => {
    for (const name of tryNames(text, path, errors)) {
      const variable = declared.get(name);
      if (variable?.choices && !allowChoices)
        errors.push({ path, message: `{{${name}}} has choices; a choice's wording cannot use another one` });
      else if (!variable && !builtIns.has(name))
        errors.push({ path, message: `{{${name}}} is neither a declared variable nor built in` });
      else if (name === "incident_name" && !allowIncidentName)
        errors.push({ path, message: "the title makes the incident's name; it cannot use {{incident_name}}" });
      else if (name === "next_update_at" && template.next_update_in_minutes === null)
        errors.push({ path, message: "{{next_update_at}} needs next_update_in_minutes" });
      else if ((name === "starts_at" || name === "ends_at") && template.kind !== "maintenance")
        errors.push({ path, message: `{{${name}}} is a maintenance's window; this is an incident template` });
    }
  };
  uses(template.title, "title", true, false);
  uses(template.body, "body", true, true);
  template.variables.forEach((variable, index) => {
    for (const [choice, text] of Object.entries(variable.choices ?? {}))
      uses(text, `variables.${index}.choices.${choice}`, false, true);
  });
  if (errors.length > 0)
    throw invalid(`The template cannot be used: ${errors.map((e) => `${e.path}: ${e.message}`).join("; ")}`, errors);
}

function tryNames(text: string, path: string, errors: FieldError[]): string[] {
  try {
    return namesUsed(text, path);
  } catch (error) {
    if (!(error instanceof HeraldError)) throw error;
    errors.push(...error.fieldErrors);
    return [];
  }
}

/** Stages whose text says the fix is in or the trouble over: a component they set is operational. */
function saysRecovered(status: UpdateStatus): boolean {
  return status === "monitoring" || isClosingStatus(status);
}

const SCENARIO_STATUSES: readonly ComponentStatus[] = ["degraded_performance", "partial_outage", "major_outage"];

/**
 * A scenario template: an incident template that puts the components it names into an outage or
 * degradation (its `component_status`), so a post from it must name at least one.
 */
export function isScenarioTemplate(template: Pick<Template, "kind" | "component_status">): boolean {
  return (
    template.kind === "incident" &&
    template.component_status !== null &&
    SCENARIO_STATUSES.includes(template.component_status)
  );
}
