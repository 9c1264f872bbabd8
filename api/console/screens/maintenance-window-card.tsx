/** @jsxImportSource hono/jsx */

import type { ConsoleSession } from "../../../core/console/sessions.ts";
import type { IncidentRecord } from "../../../core/model/rows.ts";
import { errorsFor, Field, type FormValues, PostForm, type Refusal, RefusalSummary } from "../ui/form.tsx";
import { Icon } from "../ui/icons.tsx";
import { toLocalInput } from "../ui/time.tsx";
import { NotifyField } from "../ui/update-fields.tsx";

import { activeFor, type ScheduleActive, type ScheduleFormName } from "./scheduled-updates.tsx";

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
