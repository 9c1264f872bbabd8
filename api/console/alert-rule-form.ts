import type { InputOf } from "../../core/actions/define.ts";
import type { createRule } from "../../core/alerts/rules/create-rule.ts";
import { ALERT_SEVERITIES } from "../../db/enums.ts";
import { whole } from "./template-form.ts";
import type { FormValues } from "./ui/form.tsx";

export const COMPONENT_BOX = "component_";
export const SOURCE_BOX = "source_";
export const STATUS_SELECT = "status_";

/** The checked ids of the boxes named `prefix` + id. */
function checked(form: FormValues, prefix: string): string[] {
  return Object.entries(form)
    .filter(([key, value]) => key.startsWith(prefix) && value)
    .map(([key]) => key.slice(prefix.length));
}

/** The rule form's fields as the create and edit actions take them (core checks every value). */
export function ruleFromForm(form: FormValues): InputOf<typeof createRule> {
  const sources = checked(form, SOURCE_BOX);
  const statuses: Record<string, string> = {};
  for (const key of [...ALERT_SEVERITIES, "default"]) {
    const value = form[`${STATUS_SELECT}${key}`];
    if (value) statuses[key] = value;
  }
  return {
    name: form.name ?? "",
    enabled: form.enabled === "on",
    matchers: (form.matchers ?? "")
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== ""),
    component_ids: checked(form, COMPONENT_BOX),
    source_ids: sources.length > 0 ? sources : null,
    statuses,
    for_seconds: form.for_seconds ? whole(form.for_seconds) : 0,
    template_id: form.template_id || null,
    auto_publish_minutes: form.auto_publish_minutes ? whole(form.auto_publish_minutes) : null,
    remind_minutes: form.remind_minutes ? whole(form.remind_minutes) : 10,
  };
}
