/** @jsxImportSource hono/jsx */

import type { ConsoleSession } from "../../../core/console/sessions.ts";
import type { ScheduledOpeningView } from "../../../core/incidents/scheduled-openings.ts";
import type { ScheduledUpdateView } from "../../../core/incidents/scheduled-updates.ts";
import type { IncidentRecord } from "../../../core/model/rows.ts";
import { type IncidentKind, statusesForKind } from "../../../core/model/statuses.ts";
import { updateStatusLook } from "../../../core/presentation/status.ts";
import { errorsFor, Field, type FormValues, PostForm, type Refusal, RefusalSummary } from "../ui/form.tsx";
import { Icon } from "../ui/icons.tsx";
import { UpdateStatusBadge } from "../ui/status.tsx";
import { Time, toLocalInput } from "../ui/time.tsx";
import { NotifyField } from "../ui/update-fields.tsx";

const UTC_NOTE = "Times are UTC (this console reads and shows every time in UTC).";

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

function activeFor(active: ScheduleActive, form: ScheduleFormName) {
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

function WindowTime(props: {
  id: string;
  label: string;
  name: "scheduled_for" | "scheduled_until";
  current: string | null;
  values: FormValues;
  refusal: Refusal | undefined;
}) {
  const was = props.current ? toLocalInput(props.current) : "";
  return (
    <>
      <Field id={props.id} label={props.label} errors={errorsFor(props.refusal, props.name)}>
        {(aria) => <input {...aria} type="datetime-local" name={props.name} value={props.values[props.name] ?? was} />}
      </Field>
      <input type="hidden" name={`${props.name}_was`} value={was} />
    </>
  );
}

function NoticeBody(props: { id: string; values: FormValues; refusal: Refusal | undefined }) {
  return (
    <Field
      id={props.id}
      label="Message (optional)"
      help="Posted as an update; a stock text when empty."
      errors={errorsFor(props.refusal, "body")}
    >
      {(aria) => (
        <textarea {...aria} class="short" name="body" rows={2}>
          {props.values.body ?? ""}
        </textarea>
      )}
    </Field>
  );
}

/** Reschedule (before it starts), extend (before or during) and cancel (before it completes) a maintenance. */
export function MaintenanceWindowCard(props: {
  record: IncidentRecord;
  session: ConsoleSession;
  active: ScheduleActive;
}) {
  const { record, session } = props;
  const started = record.status !== "scheduled";
  const form = (name: ScheduleFormName) => activeFor(props.active, name);
  const reschedule = form("reschedule");
  const extend = form("extend");
  const cancel = form("cancel");
  return (
    <section class="card" aria-labelledby="window-h">
      <div class="card-h">
        <h2 id="window-h">Window</h2>
        <p>Move, extend or cancel</p>
      </div>
      <div class="card-b actions-stack">
        {!started && (
          <details open={reschedule !== undefined}>
            <summary>Reschedule</summary>
            <RefusalSummary refusal={reschedule?.refusal} />
            <PostForm action={`/admin/incidents/${record.id}/reschedule`} csrf={session.csrfToken} label="Reschedule">
              <div class="field-row">
                <WindowTime
                  id="resched-from"
                  label="Starts (UTC)"
                  name="scheduled_for"
                  current={record.scheduledFor}
                  values={reschedule?.values ?? {}}
                  refusal={reschedule?.refusal}
                />
                <WindowTime
                  id="resched-until"
                  label="Ends (UTC)"
                  name="scheduled_until"
                  current={record.scheduledUntil}
                  values={reschedule?.values ?? {}}
                  refusal={reschedule?.refusal}
                />
              </div>
              <NoticeBody id="resched-body" values={reschedule?.values ?? {}} refusal={reschedule?.refusal} />
              <NotifyField id="resched-notify" form={reschedule?.values ?? {}} />
              <button class="btn btn-primary" type="submit">
                <Icon name="calendar" /> Reschedule
              </button>
            </PostForm>
          </details>
        )}
        <details open={extend !== undefined}>
          <summary>Extend</summary>
          <RefusalSummary refusal={extend?.refusal} />
          <PostForm action={`/admin/incidents/${record.id}/extend`} csrf={session.csrfToken} label="Extend">
            <WindowTime
              id="extend-until"
              label="New end (UTC)"
              name="scheduled_until"
              current={record.scheduledUntil}
              values={extend?.values ?? {}}
              refusal={extend?.refusal}
            />
            <NoticeBody id="extend-body" values={extend?.values ?? {}} refusal={extend?.refusal} />
            <NotifyField id="extend-notify" form={extend?.values ?? {}} />
            <button class="btn btn-primary" type="submit">
              <Icon name="clock" /> Extend
            </button>
          </PostForm>
        </details>
        <details open={cancel !== undefined}>
          <summary>Cancel maintenance</summary>
          <RefusalSummary refusal={cancel?.refusal} />
          <PostForm action={`/admin/incidents/${record.id}/cancel`} csrf={session.csrfToken} label="Cancel maintenance">
            <p>Subscribers are told it will not happen.</p>
            <NoticeBody id="cancel-body" values={cancel?.values ?? {}} refusal={cancel?.refusal} />
            <NotifyField id="cancel-notify" form={cancel?.values ?? {}} />
            <button class="btn btn-danger" type="submit">
              Cancel maintenance
            </button>
          </PostForm>
        </details>
      </div>
    </section>
  );
}

/** Every timed update and scheduled opening, soonest first, on the dashboard. */
export function UpcomingUpdatesCard(props: {
  updates: ScheduledUpdateView[];
  openings: ScheduledOpeningView[];
  incidentNames: Map<string, string>;
  session: ConsoleSession;
  active: ScheduleActive;
}) {
  const canChange = props.session.actor.role !== "viewer";
  const items = [
    ...props.openings.map((o) => ({ at: o.publish_at, opening: o })),
    ...props.updates.map((u) => ({ at: u.publish_at, update: u })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  return (
    <section class="card" aria-labelledby="upcoming-h">
      <div class="card-h">
        <h2 id="upcoming-h">Scheduled updates</h2>
        <p>{`${items.length} waiting`}</p>
      </div>
      {items.length === 0 ? (
        <p class="empty">No timed updates or incidents waiting.</p>
      ) : (
        <ul class="list">
          {items.map((item) =>
            "opening" in item ? (
              <ScheduledOpeningItem
                opening={item.opening}
                session={props.session}
                canChange={canChange}
                active={activeFor(props.active, `opening:${item.opening.id}`)}
              />
            ) : (
              <li>
                <div class="row">
                  <div class="grow">
                    <a
                      class="title-link"
                      href={`/admin/incidents/${item.update.incident_id}#scheduled-${item.update.id}`}
                    >
                      {props.incidentNames.get(item.update.incident_id) ?? item.update.incident_id}
                    </a>
                    <div class="meta">
                      Publishes <Time at={item.update.publish_at} />
                    </div>
                  </div>
                  <UpdateStatusBadge status={item.update.status} />
                  {canChange && (
                    <>
                      <a
                        class="btn btn-small"
                        href={`/admin/incidents/${item.update.incident_id}#scheduled-${item.update.id}`}
                      >
                        Edit
                      </a>
                      <CancelScheduledButton update={item.update} session={props.session} back="/admin" />
                    </>
                  )}
                </div>
              </li>
            ),
          )}
        </ul>
      )}
    </section>
  );
}

/** An incident to be opened at a time: what it will say, when, and (for a commander) move or cancel it. */
function ScheduledOpeningItem(props: {
  opening: ScheduledOpeningView;
  session: ConsoleSession;
  canChange: boolean;
  active: ScheduleActive;
}) {
  const { opening, active } = props;
  const was = toLocalInput(opening.publish_at);
  const refusal = active?.refusal;
  return (
    <li id={`opening-${opening.id}`}>
      <div class="row">
        <div class="grow">
          <span class="title-link">{opening.name}</span>
          <span class="pill">
            <Icon name="plus" size={12} /> New incident
          </span>
          <div class="meta">
            <Icon name="clock" size={14} /> Opens <Time at={opening.publish_at} />
            {opening.created_by ? ` · by ${opening.created_by}` : ""}
          </div>
        </div>
        <UpdateStatusBadge status={opening.status} />
        {props.canChange && (
          <PostForm
            action={`/admin/scheduled-openings/${opening.id}/cancel`}
            csrf={props.session.csrfToken}
            class="inline"
            confirm="Cancel this incident? It will not be opened."
            label="Cancel scheduled incident"
            ask="Cancel…"
          >
            <button class="btn btn-small btn-danger" type="submit">
              Yes, cancel it
            </button>
          </PostForm>
        )}
      </div>
      {opening.failure && (
        <p class="error" role="alert">
          {`Not opened: ${opening.failure} Move it to a new time to try again, or cancel it.`}
        </p>
      )}
      <div class="prose spaced" dangerouslySetInnerHTML={{ __html: opening.body_html }} />
      {props.canChange && (
        <details class="spaced" open={active !== undefined || opening.failure !== null}>
          <summary>Move</summary>
          <RefusalSummary refusal={refusal} />
          <PostForm
            action={`/admin/scheduled-openings/${opening.id}`}
            csrf={props.session.csrfToken}
            label="Move scheduled incident"
          >
            <div class="field-row">
              <Field
                id={`opening-at-${opening.id}`}
                label="Open at (UTC)"
                help={UTC_NOTE}
                errors={errorsFor(refusal, "publish_at")}
              >
                {(aria) => (
                  <input {...aria} type="datetime-local" name="publish_at" value={active?.values.publish_at ?? was} />
                )}
              </Field>
            </div>
            <div class="actions">
              <button class="btn btn-primary" type="submit">
                Save time
              </button>
            </div>
          </PostForm>
        </details>
      )}
    </li>
  );
}
