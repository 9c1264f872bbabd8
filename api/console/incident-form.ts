import type { InputOf } from "../../core/actions/define.ts";
import type { editUpdate } from "../../core/incidents/edit-update.ts";
import type { openIncident } from "../../core/incidents/open-incident.ts";
import type { reopenIncident } from "../../core/incidents/reopen-incident.ts";
import type { writePostmortem } from "../../core/incidents/write-postmortem.ts";
import { templateInputFromForm, whole } from "./template-form.ts";
import type { FormValues } from "./ui/form.tsx";

const COMPONENT_PREFIX = "component.";

/** The value of "No promise": sent as `next_update_in_minutes: null`, so no default cadence applies either. */
export const NO_PROMISE = "none";

/** A datetime-local value, read as UTC (the form says so); anything else goes to core as typed, to be refused there. */
export function utcFromInput(value: string): string {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value) ? `${value}:00Z` : value;
}

export function componentField(id: string): string {
  return `${COMPONENT_PREFIX}${id}`;
}

/** The fields every form that posts an update sends (opening, updating, reopening). */
type UpdateFormInput = Pick<
  InputOf<typeof openIncident>,
  | "template"
  | "variables"
  | "status"
  | "body"
  | "components"
  | "deliver_notifications"
  | "next_update_in_minutes"
  | "impact"
  | "display_at"
  | "publish_at"
>;

/** The components the form sets (none: undefined), by id. */
function componentsFromForm(form: FormValues): Record<string, string> | undefined {
  const components: Record<string, string> = {};
  for (const [key, value] of Object.entries(form)) {
    if (key.startsWith(COMPONENT_PREFIX) && value) components[key.slice(COMPONENT_PREFIX.length)] = value;
  }
  return Object.keys(components).length > 0 ? components : undefined;
}

/**
 * The fields an update form shares with the API's input (core validates them: no rule is repeated here).
 * Empty fields are left out, as a client that does not send them.
 */
export function updateInputFromForm(form: FormValues): UpdateFormInput {
  const input: UpdateFormInput = templateInputFromForm(form);
  if (form.status) input.status = form.status;
  if (form.body?.trim()) input.body = form.body.replace(/\r\n/g, "\n");
  const components = componentsFromForm(form);
  if (components) input.components = components;
  if ("notify_shown" in form) input.deliver_notifications = form.notify === "on";
  if (form.next_update_in === NO_PROMISE) input.next_update_in_minutes = null;
  else if (form.next_update_in) input.next_update_in_minutes = whole(form.next_update_in);
  if (form.impact === "computed") input.impact = null;
  else if (form.impact) input.impact = form.impact;
  if (form.display_at) input.display_at = utcFromInput(form.display_at);
  if (form.publish_when === "at") input.publish_at = utcFromInput(form.publish_at ?? "");
  return input;
}

export function openInputFromForm(form: FormValues, kind: "incident" | "maintenance"): InputOf<typeof openIncident> {
  const input: InputOf<typeof openIncident> = { ...updateInputFromForm(form), kind };
  // From a template an empty name means "the template's title".
  if (!form.template || form.name?.trim()) input.name = form.name ?? "";
  if (form.scheduled_for) input.scheduled_for = utcFromInput(form.scheduled_for);
  if (form.scheduled_until) input.scheduled_until = utcFromInput(form.scheduled_until);
  if (form.remind_minutes) input.remind_minutes = whole(form.remind_minutes);
  if (kind === "maintenance" && "auto_shown" in form) {
    input.auto_start = form.auto_start === "on";
    input.auto_complete = form.auto_complete === "on";
  }
  return input;
}

/** A reopening (an empty reason goes as typed, so core names it: "say why it is reopened"). */
export function reopenInputFromForm(form: FormValues, id: string): InputOf<typeof reopenIncident> {
  const { status = "", body = "", deliver_notifications, next_update_in_minutes } = updateInputFromForm(form);
  const components = componentsFromForm(form);
  return {
    id,
    status,
    body,
    ...(components ? { components } : {}),
    ...(deliver_notifications === undefined ? {} : { deliver_notifications }),
    ...(next_update_in_minutes === undefined ? {} : { next_update_in_minutes }),
  };
}

export function postmortemInputFromForm(form: FormValues, id: string): InputOf<typeof writePostmortem> {
  return { id, body: (form.body ?? "").replace(/\r\n/g, "\n"), publish: form.publish !== "false" };
}

export function editUpdateInputFromForm(form: FormValues, id: string, updateId: string): InputOf<typeof editUpdate> {
  const input: InputOf<typeof editUpdate> = { id, updateId };
  if (form.body !== undefined) input.body = form.body.replace(/\r\n/g, "\n");
  if (form.display_at && form.display_at !== form.display_at_was) input.display_at = utcFromInput(form.display_at);
  return input;
}
