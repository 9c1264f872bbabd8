import type { Db } from "../../db/client.ts";
import { type FieldError, invalid } from "../actions/errors.ts";
import { ownValue } from "../actions/own-keys.ts";
import { parseInput } from "../actions/validation.ts";
import { listComponents } from "../components/load-components.ts";
import { getIncident } from "../incidents/load-incidents.ts";
import type { ComponentRow, IncidentRecord, PageRow } from "../model/rows.ts";
import type { ComponentStatus } from "../model/statuses.ts";
import { getPage } from "../page/get-page.ts";
import { componentLook } from "../presentation/status.ts";
import { builtInValues, componentNamesInPageOrder } from "./built-ins.ts";
import { checkTemplate, isScenarioTemplate } from "./check-template.ts";
import { AuthoredText, fillIn, namesUsed, type TemplateValues } from "./render.ts";
import { type Template, templateRequest } from "./schemas.ts";
import { templateNamedInRequest } from "./template-view.ts";

/** What a template is used against: the page, its components, and the incident an update is for (null: opening). */
export type TemplateTarget = {
  page: Pick<PageRow, "name" | "timeZone">;
  components: ComponentRow[];
  incident: IncidentRecord | null;
  now: Date;
};

type Request = Record<string, unknown> & {
  template: string;
  variables?: Record<string, string> | undefined;
  components?: Record<string, ComponentStatus> | string[] | undefined;
};

/**
 * The ordinary request a post from a template stands for, used by every action that posts (open an
 * incident, schedule a maintenance, post an update) and by the preview. The request's own fields
 * override the template's; the result is then checked by the action's ordinary schema like any request.
 */
export async function requestFromTemplate(
  db: Db,
  raw: unknown,
  incidentId: string | null,
  now: Date,
): Promise<unknown> {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return raw;
  if (!("template" in raw)) {
    if ("variables" in raw)
      throw invalid("Variables fill in a template; name one.", [{ path: "variables", message: "needs a template" }]);
    return raw;
  }
  const request = parseInput(templateRequest, raw) as Request;
  const [template, page, components, incident] = await Promise.all([
    templateNamedInRequest(db, request.template),
    getPage(db),
    listComponents(db),
    incidentId === null ? null : getIncident(db, incidentId),
  ]);
  return resolveTemplateRequest(template, request, { page, components, incident, now });
}

/** `requestFromTemplate` without reading: the template and what it is used against are given. */
export function resolveTemplateRequest(
  template: Template,
  request: Request,
  target: TemplateTarget,
): Record<string, unknown> {
  checkTemplate(template);
  const { template: _, variables: given = {}, components: requested, ...own } = request;
  const opening = target.incident === null;
  const kind = opening ? (own.kind ?? template.kind) : target.incident?.kind;
  if (kind !== template.kind) {
    throw invalid(`"${template.id}" is a ${template.kind} template; this is ${article(String(kind))}.`, [
      { path: "template", message: `a ${template.kind} template` },
    ]);
  }
  const components = componentsOf(template, requested, target);
  // An explicit null (no promise, where the schema takes one) overrides the template's too.
  const minutes = "next_update_in_minutes" in own ? own.next_update_in_minutes : template.next_update_in_minutes;
  const titleNeeded = opening && own.name === undefined;
  const bodyNeeded = own.body === undefined;
  const rendering = { title: titleNeeded, body: bodyNeeded };
  const componentIds = Object.keys(components);
  const namedComponents = componentIds.length > 0 ? componentIds : (target.incident?.componentIds ?? []);
  const values = variableValues(
    template,
    given,
    rendering,
    componentErrors(template, componentIds, namedComponents, rendering),
  );
  // The promise runs from when the update shows: its display time, or when a timed update is published.
  const shownFrom = [own.display_at, own.publish_at].find((at): at is string => typeof at === "string");
  const shownAt = shownFrom ? new Date(shownFrom) : target.now;
  const builtIns = (incidentName: string) =>
    builtInValues({
      page: target.page,
      componentNames: componentNamesInPageOrder(target.components, namedComponents),
      incidentName,
      nextUpdateAt: typeof minutes === "number" ? new Date(shownAt.getTime() + minutes * 60_000) : null,
      window: opening
        ? { startsAt: stringOrNull(own.scheduled_for), endsAt: stringOrNull(own.scheduled_until) }
        : { startsAt: target.incident?.scheduledFor ?? null, endsAt: target.incident?.scheduledUntil ?? null },
      now: target.now,
    });
  const name = opening
    ? titleNeeded
      ? render(template.title, { ...builtIns(""), ...values }, "plain")
      : own.name
    : undefined;
  const body = bodyNeeded
    ? render(template.body, { ...builtIns(String(name ?? target.incident?.name ?? "")), ...values }, "markdown")
    : own.body;
  const impact = "impact" in own ? own.impact : (template.impact ?? undefined);
  return {
    ...own,
    ...(opening ? { kind, name } : {}),
    status: own.status ?? template.status,
    body,
    ...(componentIds.length > 0 ? { components } : {}),
    ...(impact !== undefined ? { impact } : {}),
    ...(typeof minutes === "number" && !("next_update_in_minutes" in own) ? { next_update_in_minutes: minutes } : {}),
  };
}

/**
 * The request's components (a list takes the template's component_status), else the template's own;
 * an update from a template that gives a component_status and names none sets the incident's components
 * to it (the Monitoring template sets them operational, so its "back to normal" is what the page shows).
 */
function componentsOf(
  template: Template,
  requested: Request["components"],
  target: TemplateTarget,
): Record<string, unknown> {
  const status = template.component_status;
  if (requested === undefined) {
    if (Object.keys(template.components).length > 0 || status === null || !target.incident) {
      return { ...template.components };
    }
    const leaves = new Set(target.components.filter((c) => !c.isGroup).map((c) => c.id));
    return Object.fromEntries(target.incident.componentIds.filter((id) => leaves.has(id)).map((id) => [id, status]));
  }
  if (!Array.isArray(requested)) return requested;
  if (status === null) {
    throw invalid(`"${template.id}" gives no component status; send components as id → status.`, [
      { path: "components", message: "this template gives no component_status; use id → status" },
    ]);
  }
  return Object.fromEntries(requested.map((id) => [id, status]));
}

/**
 * What a post from the template must name: a scenario template (an incident's partial or major outage,
 * degraded performance) puts the components it posts into that state, so it needs one, or the page would
 * show no outage beside its text; and text that names `{{components}}` needs one to name (it never
 * silently reads "our service").
 */
function componentErrors(
  template: Template,
  posted: string[],
  named: string[],
  rendering: { title: boolean; body: boolean },
): FieldError[] {
  if (isScenarioTemplate(template) && posted.length === 0) {
    const status = componentLook(template.component_status ?? "operational").label.toLowerCase();
    return [{ path: "components", message: `choose the components in ${status} (this template sets them to it)` }];
  }
  if (named.length === 0 && namesRendered(template, rendering).has("components")) {
    return [{ path: "components", message: "the text names the affected components: choose at least one" }];
  }
  return [];
}

/** The names the parts being rendered use, with those in the wording of the choices they use. */
function namesRendered(template: Template, rendering: { title: boolean; body: boolean }): Set<string> {
  const used = new Set([
    ...(rendering.title ? namesUsed(template.title, "title") : []),
    ...(rendering.body ? namesUsed(template.body, "body") : []),
  ]);
  for (const variable of template.variables) {
    for (const text of Object.values(variable.choices ?? {})) {
      if (used.has(variable.name)) for (const name of namesUsed(text, "choices")) used.add(name);
    }
  }
  return used;
}

/**
 * The declared variables' values for the parts being rendered: given, else the default, else empty
 * (`errors`: the post's other problems, refused in the same 422).
 * Refuses (422 naming `variables.<name>`) an unknown variable, a value not among a variable's choices,
 * and a missing required one that the rendered parts use (one used only in the title is needed only to open).
 */
function variableValues(
  template: Template,
  given: Record<string, string>,
  rendering: { title: boolean; body: boolean },
  errors: FieldError[] = [],
): TemplateValues {
  const declared = new Map(template.variables.map((v) => [v.name, v]));
  for (const name of Object.keys(given)) {
    if (!declared.has(name)) {
      const known = template.variables.map((v) => v.name).join(", ") || "none";
      errors.push({
        path: `variables.${name}`,
        message: `"${template.id}" has no variable ${name} (it has: ${known})`,
      });
    }
  }
  const used = namesRendered(template, rendering);
  const values: TemplateValues = Object.create(null);
  for (const variable of template.variables) {
    const value = ownValue(given, variable.name) ?? variable.default;
    const path = `variables.${variable.name}`;
    if (value === undefined || value === "") {
      if (variable.required && used.has(variable.name))
        errors.push({ path, message: `required: ${variable.description || variable.name}` });
      values[variable.name] = "";
      continue;
    }
    if (variable.choices) {
      const wording = ownValue(variable.choices, value);
      if (wording === undefined) {
        errors.push({ path, message: `must be one of ${Object.keys(variable.choices).join(", ")}` });
        continue;
      }
      values[variable.name] = new AuthoredText(wording);
    } else values[variable.name] = value;
  }
  if (errors.length > 0)
    throw invalid(
      `${errors.some((e) => e.path === "components") ? "The post from this template is not complete" : "The template's variables are not right"}: ${errors.map((e) => `${e.path}: ${e.message}`).join("; ")}`,
      errors,
    );
  return values;
}

/** Fills in one text; a choice's wording is filled in first, in the same mode. */
function render(text: string, values: TemplateValues, mode: "markdown" | "plain"): string {
  const filled: TemplateValues = Object.create(null);
  for (const [name, value] of Object.entries(values)) {
    filled[name] = value instanceof AuthoredText ? new AuthoredText(fillIn(value.text, values, mode)) : value;
  }
  return fillIn(text, filled, mode);
}

function stringOrNull(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

function article(kind: string): string {
  return kind === "incident" ? "an incident" : `a ${kind}`;
}
