import type { InputOf } from "../../core/actions/define.ts";
import type { cancelMaintenance } from "../../core/incidents/cancel-maintenance.ts";
import type { editScheduledUpdate } from "../../core/incidents/edit-scheduled-update.ts";
import type { extendMaintenance } from "../../core/incidents/extend-maintenance.ts";
import type { rescheduleMaintenance } from "../../core/incidents/reschedule-maintenance.ts";
import { utcFromInput } from "./incident-form.ts";
import type { FormValues } from "./ui/form.tsx";

/**
 * The maintenance a window change is for, and the notice it posts: its text (a stock one when empty) and
 * whether subscribers hear.
 */
export function cancelInputFromForm(form: FormValues, id: string): InputOf<typeof cancelMaintenance> {
  const input: InputOf<typeof cancelMaintenance> = { id };
  if (form.body?.trim()) input.body = form.body.replace(/\r\n/g, "\n");
  if ("notify_shown" in form) input.deliver_notifications = form.notify === "on";
  return input;
}

export function rescheduleInputFromForm(form: FormValues, id: string): InputOf<typeof rescheduleMaintenance> {
  const input: InputOf<typeof rescheduleMaintenance> = cancelInputFromForm(form, id);
  if (form.scheduled_for && form.scheduled_for !== form.scheduled_for_was) {
    input.scheduled_for = utcFromInput(form.scheduled_for);
  }
  if (form.scheduled_until && form.scheduled_until !== form.scheduled_until_was) {
    input.scheduled_until = utcFromInput(form.scheduled_until);
  }
  return input;
}

export function extendInputFromForm(form: FormValues, id: string): InputOf<typeof extendMaintenance> {
  return { ...cancelInputFromForm(form, id), scheduled_until: utcFromInput(form.scheduled_until ?? "") };
}

/** A timed update's edit: only what the form changed goes to core (which checks it). */
export function scheduledEditInputFromForm(form: FormValues, updateId: string): InputOf<typeof editScheduledUpdate> {
  const input: InputOf<typeof editScheduledUpdate> = { updateId };
  if (form.status) input.status = form.status;
  if (form.body !== undefined) input.body = form.body.replace(/\r\n/g, "\n");
  if (form.publish_at && form.publish_at !== form.publish_at_was) input.publish_at = utcFromInput(form.publish_at);
  return input;
}
