import type { InputOf } from "../../core/actions/define.ts";
import type { importSubscribers } from "../../core/subscribers/admin/import-subscribers.ts";
import type { FormValues } from "./ui/form.tsx";

/** The import form: an uploaded file wins over the pasted text. */
export function importInputFromForm(form: FormValues): InputOf<typeof importSubscribers> {
  return { csv: form.file?.trim() ? form.file : (form.csv ?? "") };
}
