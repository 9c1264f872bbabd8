/** @jsxImportSource hono/jsx */

import type { ConsoleSession } from "../../../core/console/sessions.ts";
import type { ScheduledUpdateView } from "../../../core/incidents/scheduled-updates.ts";
import { type IncidentKind, statusesForKind } from "../../../core/model/statuses.ts";
import { updateStatusLook } from "../../../core/presentation/status.ts";
import { errorsFor, Field, type FormValues, PostForm, type Refusal, RefusalSummary } from "../ui/form.tsx";
import { Icon } from "../ui/icons.tsx";
import { UpdateStatusBadge } from "../ui/status.tsx";
import { Time, toLocalInput } from "../ui/time.tsx";

export const UTC_NOTE = "Times are UTC (this console reads and shows every time in UTC).";

/** Publish now, or keep the update as a timed one until a time: nothing public changes until then. */
export function PublishWhenField(props: { id: string; form: FormValues; refusal: Refusal | undefined }) {
  const at = props.form.publish_when === "at";
  const errors = errorsFor(props.refusal, "publish_at");
  return (
    <fieldset class="field publish-when">
      <legend>Publish</legend>
      <div class="choices">
        <label class="check" for={`${props.id}-now`}>
          <input type="radio" id={`${props.id}-now`} name="publish_when" value="now" checked={!at} />
          <span>Now</span>
        </label>
        <label class="check" for={`${props.id}-at`}>
          <input type="radio" id={`${props.id}-at`} name="publish_when" value="at" checked={at} />
          <span>At a time</span>
        </label>
      </div>
      <Field
        id={`${props.id}-time`}
        label="Publish at (UTC)"
        help={`${UTC_NOTE} Until then it is on no page, feed or inbox.`}
        errors={errors}
      >
        {(aria) => <input {...aria} type="datetime-local" name="publish_at" value={props.form.publish_at ?? ""} />}
      </Field>
    </fieldset>
  );
}

/** Whether the scheduler starts and completes the maintenance on its window (both by default). */
export function AutoFields(props: { form: FormValues }) {
  const shown = "auto_shown" in props.form;
  const box = (name: "auto_start" | "auto_complete", label: string, help: string) => (
    <label class="check" for={name}>
      <input type="checkbox" id={name} name={name} checked={shown ? props.form[name] === "on" : true} />
      <span>
        {label}
        <span class="help">{help}</span>
      </span>
    </label>
  );
  return (
    <div class="field">
      <input type="hidden" name="auto_shown" value="1" />
      {box("auto_start", "Start by itself", "In progress at the start time, with an update.")}
      {box("auto_complete", "Complete by itself", "Completed at the end time; components return to operational.")}
    </div>
  );
}

/** Which scheduled-update or window form a refusal belongs to. */
export type ScheduleFormName = `scheduled:${string}` | `opening:${string}` | "reschedule" | "extend" | "cancel";

export type ScheduleActive = { form: string; values: FormValues; refusal?: Refusal | undefined } | undefined;

export function activeFor(active: ScheduleActive, form: ScheduleFormName) {
  return active?.form === form ? active : undefined;
}

function ScheduledEdit(props: {
  update: ScheduledUpdateView;
  kind: IncidentKind;
  session: ConsoleSession;
  active: ScheduleActive;
}) {
  const { update } = props;
  const active = activeFor(props.active, `scheduled:${update.id}`);
  const values = active?.values ?? {};
  const refusal = active?.refusal;
  const status = values.status ?? update.status;
  const was = toLocalInput(update.publish_at);
  return (
    <details class="spaced" open={active !== undefined}>
      <summary>Edit</summary>
      <RefusalSummary refusal={refusal} />
      <PostForm
        action={`/admin/scheduled-updates/${update.id}`}
        csrf={props.session.csrfToken}
        label="Edit scheduled update"
      >
        <div class="field-row">
          <Field id={`sched-status-${update.id}`} label="Status" errors={errorsFor(refusal, "status")}>
            {(aria) => (
              <select {...aria} name="status">
                {statusesForKind(props.kind).map((s) => (
                  <option value={s} selected={status === s}>
                    {updateStatusLook(s).label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field id={`sched-at-${update.id}`} label="Publish at (UTC)" errors={errorsFor(refusal, "publish_at")}>
            {(aria) => <input {...aria} type="datetime-local" name="publish_at" value={values.publish_at ?? was} />}
          </Field>
        </div>
        <input type="hidden" name="publish_at_was" value={was} />
        <Field id={`sched-body-${update.id}`} label="Message" errors={errorsFor(refusal, "body")}>
          {(aria) => (
            <textarea {...aria} class="short" name="body" rows={4}>
              {values.body ?? update.body}
            </textarea>
          )}
        </Field>
        <div class="actions">
          <button class="btn btn-primary" type="submit">
            Save scheduled update
          </button>
        </div>
      </PostForm>
    </details>
  );
}

/** The cancel button of a timed update; `back` is the console screen to return to. */
export function CancelScheduledButton(props: { update: ScheduledUpdateView; session: ConsoleSession; back: string }) {
  return (
    <PostForm
      action={`/admin/scheduled-updates/${props.update.id}/cancel`}
      csrf={props.session.csrfToken}
      class="inline"
      confirm="Cancel this scheduled update? It will not be published."
      label="Cancel scheduled update"
      ask="Cancel…"
    >
      <input type="hidden" name="back" value={props.back} />
      <button class="btn btn-small btn-danger" type="submit">
        Yes, cancel it
      </button>
    </PostForm>
  );
}

/** An incident's timed updates, soonest first, each editable and cancellable until it is published. */
export function ScheduledUpdatesCard(props: {
  updates: ScheduledUpdateView[];
  kind: IncidentKind;
  session: ConsoleSession;
  active: ScheduleActive;
}) {
  if (props.updates.length === 0) return null;
  const canChange = props.session.actor.role !== "viewer";
  return (
    <section class="card" aria-labelledby="scheduled-h">
      <div class="card-h">
        <h2 id="scheduled-h">Scheduled updates</h2>
        <p>Published by themselves at their time</p>
      </div>
      <ul class="list">
        {props.updates.map((u) => (
          <li id={`scheduled-${u.id}`}>
            <div class="row">
              <UpdateStatusBadge status={u.status} />
              <span class="meta grow">
                <Icon name="clock" size={14} /> Publishes <Time at={u.publish_at} />
                {u.created_by ? ` · by ${u.created_by}` : ""}
              </span>
              {canChange && (
                <CancelScheduledButton update={u} session={props.session} back={`/admin/incidents/${u.incident_id}`} />
              )}
            </div>
            <div class="prose spaced" dangerouslySetInnerHTML={{ __html: u.body_html }} />
            {canChange && <ScheduledEdit update={u} kind={props.kind} session={props.session} active={props.active} />}
          </li>
        ))}
      </ul>
    </section>
  );
}
