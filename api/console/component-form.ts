import type { InputOf } from "../../core/actions/define.ts";
import type { createComponent } from "../../core/components/create-component.ts";
import type { updateComponent } from "../../core/components/update-component.ts";
import type { FormValues } from "./ui/form.tsx";

/** The component form's fields as the actions' input; core validates them. */

function descriptionOf(form: FormValues): string | null {
  return form.description?.trim() ? form.description.replace(/\r\n/g, "\n") : null;
}

/** The visibility checkboxes, only when the form showed them (an unticked box is not sent at all). */
function flagsOf(form: FormValues): { showcase?: boolean; only_show_if_degraded?: boolean } {
  if (!form.flags_shown) return {};
  return {
    ...("showcase" in form || form.group_id !== undefined ? { showcase: form.showcase === "on" } : {}),
    only_show_if_degraded: form.only_show_if_degraded === "on",
  };
}

/** A new component: empty optional fields are left out, as a client that does not send them. */
export function createComponentFromForm(form: FormValues): InputOf<typeof createComponent> {
  const description = descriptionOf(form);
  return {
    name: form.name ?? "",
    ...(description === null ? {} : { description }),
    ...(form.group_id ? { group_id: form.group_id } : {}),
    ...(form.group === "on" ? { group: true } : {}),
    ...flagsOf(form),
  };
}

/** An edit: an emptied description or group clears it (null). */
export function updateComponentFromForm(form: FormValues, id: string): InputOf<typeof updateComponent> {
  return {
    id,
    name: form.name ?? "",
    description: descriptionOf(form),
    ...(form.group_id === undefined ? {} : { group_id: form.group_id || null }),
    ...flagsOf(form),
  };
}
