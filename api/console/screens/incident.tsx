/** @jsxImportSource hono/jsx */

import { isClosingStatus, statusesForKind } from "../../../core/model/statuses.ts";
import type { IncidentDeliveries } from "../../../core/notifications/incident-deliveries.ts";
import { closingStatus, updateStatusLook } from "../../../core/presentation/status.ts";
import { paths, publicUrl } from "../../../core/public/paths.ts";
import type { IncidentView } from "../../../core/public/site-views.ts";
import type { SubscriberChannel } from "../../../core/subscribers/admin/schemas.ts";
import { errorsFor, Field, type FormValues, PostForm, type Refusal, RefusalSummary } from "../ui/form.tsx";
import { Icon } from "../ui/icons.tsx";
import { Layout, Notice, PageHead } from "../ui/layout.tsx";
import { MailPreviewPane } from "../ui/mail-preview.tsx";
import { audienceOf, notificationLabel } from "../ui/notifications.ts";
import { ComponentStatusBadge, ImpactBadge, UpdateStatusBadge } from "../ui/status.tsx";
import { ComponentHint, TemplatePicker, TemplatePreviewPane, TemplateVariables } from "../ui/template-picker.tsx";
import { Countdown, Time, toLocalInput } from "../ui/time.tsx";
import { BodyField, ComponentFields, ImpactField, NextUpdateField, NotifyField } from "../ui/update-fields.tsx";
import type { IncidentFormName, IncidentScreenProps } from "./incident-props.ts";
import { PublishButtons } from "./open-shell.tsx";
import { ReopenCard } from "./reopen-card.tsx";
import { MaintenanceWindowCard, PublishWhenField, ScheduledUpdatesCard } from "./scheduled-updates.tsx";

export type { IncidentFormName, IncidentScreenProps };

function valuesFor(props: IncidentScreenProps, form: IncidentFormName): FormValues {
  return props.active?.form === form ? props.active.values : {};
}
function refusalFor(props: IncidentScreenProps, form: IncidentFormName): Refusal | undefined {
  return props.active?.form === form ? props.active.refusal : undefined;
}
function previewFor(props: IncidentScreenProps, form: IncidentFormName): string | undefined {
  return props.active?.form === form ? props.active.previewHtml : undefined;
}

function DeliverySummary(props: { deliveries: IncidentDeliveries; updateId: string }) {
  const events = props.deliveries.events.filter((e) => e.update_id === props.updateId);
  if (events.length === 0) return <span class="meta">No notifications</span>;
  const sum = (key: "queued" | "sent" | "failed") => events.reduce((n, e) => n + e[key], 0);
  const failed = sum("failed");
  return (
    <span class="meta">
      {`Notifications: ${sum("sent")} sent · ${sum("queued")} queued · `}
      {failed > 0 ? <strong class="error">{`${failed} failed`}</strong> : "0 failed"}
    </span>
  );
}

function Timeline(props: IncidentScreenProps) {
  const canChange = props.session.actor.role !== "viewer";
  const { view, session } = props;
  return (
    <ol class="timeline">
      {view.updates.map((u) => {
        const formName: IncidentFormName = `edit:${u.id}`;
        const values = valuesFor(props, formName);
        const refusal = refusalFor(props, formName);
        const record = props.record.updates.find((r) => r.id === u.id);
        return (
          <li id={`update-${u.id}`}>
            <div class="row">
              <UpdateStatusBadge status={u.status} />
              <span class="meta">
                <Time at={u.displayAt} />
                {record?.createdBy ? ` · by ${record.createdBy}` : ""}
              </span>
            </div>
            <div class="prose spaced" dangerouslySetInnerHTML={{ __html: u.bodyHtml }} />
            {u.affected.length > 0 && (
              <div class="row spaced">
                {u.affected.map((a) => (
                  <span class="pill">
                    {a.name}: <ComponentStatusBadge status={a.newStatus} />
                  </span>
                ))}
              </div>
            )}
            <div class="row spaced">
              <DeliverySummary deliveries={props.deliveries} updateId={u.id} />
            </div>
            {canChange && (
              <details class="spaced" open={props.active?.form === formName}>
                <summary>Edit or backdate</summary>
                <RefusalSummary refusal={refusal} />
                <PostForm
                  action={`/admin/incidents/${view.id}/updates/${u.id}`}
                  csrf={session.csrfToken}
                  label="Edit update"
                >
                  <BodyField
                    id={`edit-${u.id}`}
                    label="Message"
                    form={values}
                    refusal={refusal}
                    value={values.body ?? record?.bodyMd ?? ""}
                    previewHtml={previewFor(props, formName)}
                    rows={4}
                  />
                  <input type="hidden" name="display_at_was" value={toLocalInput(u.displayAt)} />
                  <Field
                    id={`edit-at-${u.id}`}
                    label="Shown time (UTC)"
                    help="Backdate to when it really happened; not in the future."
                    errors={errorsFor(refusal, "display_at")}
                  >
                    {(aria) => (
                      <input
                        {...aria}
                        type="datetime-local"
                        name="display_at"
                        value={values.display_at ?? toLocalInput(u.displayAt)}
                      />
                    )}
                  </Field>
                  <div class="actions">
                    <button class="btn btn-primary" type="submit">
                      Save correction
                    </button>
                  </div>
                </PostForm>
              </details>
            )}
          </li>
        );
      })}
    </ol>
  );
}

function PostUpdate(props: IncidentScreenProps) {
  const { view } = props;
  const values = valuesFor(props, "update");
  const refusal = refusalFor(props, "update");
  const statuses = statusesForKind(view.kind);
  const status = values.status ?? view.status;
  const template = props.templates.chosen;
  return (
    <section class="card" aria-labelledby="post-h" id="post">
      <div class="card-h">
        <h2 id="post-h">Post an update</h2>
      </div>
      <div class="card-b">
        <RefusalSummary refusal={refusal} />
        <TemplatePicker choice={props.templates} idPrefix="update" refusal={refusal} />
        <PostForm action={`/admin/incidents/${view.id}/updates`} csrf={props.session.csrfToken} label="Post an update">
          <Field id="update-status" label="Status" errors={errorsFor(refusal, "status")}>
            {(aria) => (
              <select {...aria} name="status">
                {statuses.map((s) => (
                  <option value={s} selected={status === s}>
                    {updateStatusLook(s).label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {template ? (
            <>
              <TemplateVariables template={template} form={values} refusal={refusal} idPrefix="update" updating />
              <TemplatePreviewPane id="update-preview" choice={props.templates} />
            </>
          ) : (
            <BodyField
              id="update-body"
              label="Message"
              form={values}
              refusal={refusal}
              previewHtml={previewFor(props, "update")}
            />
          )}
          <ComponentHint template={template} />
          <ComponentFields components={props.components} form={values} refusal={refusal} idPrefix="update" />
          <div class="field-row">
            {view.kind === "incident" && (
              <NextUpdateField id="update-next" form={values} refusal={refusal} fallback={props.defaultCadence} />
            )}
            {view.kind === "incident" && <ImpactField id="update-impact" form={values} refusal={refusal} />}
          </div>
          <MailPreviewPane
            id="update-mail-preview"
            preview={props.active?.form === "update" ? props.active.mailPreview : undefined}
          />
          <NotifyField id="update-notify" form={values} />
          <PublishWhenField id="update-when" form={values} refusal={refusal} />
          <PublishButtons label="Post update" />
        </PostForm>
      </div>
    </section>
  );
}

function Resolve(props: IncidentScreenProps) {
  const values = valuesFor(props, "resolve");
  const refusal = refusalFor(props, "resolve");
  const closing = closingStatus(props.view.kind);
  return (
    <section class="card" aria-labelledby="resolve-h">
      <div class="card-h">
        <h2 id="resolve-h">{props.view.kind === "incident" ? "Resolve" : "Complete"}</h2>
      </div>
      <div class="card-b">
        <RefusalSummary refusal={refusal} />
        <PostForm action={`/admin/incidents/${props.view.id}/resolve`} csrf={props.session.csrfToken} label="Resolve">
          <input type="hidden" name="status" value={closing} />
          <Field
            id="resolve-body"
            label="Closing message"
            errors={errorsFor(refusal, "body")}
            help="Every affected component returns to operational."
          >
            {(aria) => (
              <textarea {...aria} class="short" name="body" rows={3}>
                {values.body ??
                  (props.view.kind === "incident"
                    ? "This incident has been resolved."
                    : "The scheduled maintenance has been completed.")}
              </textarea>
            )}
          </Field>
          <NotifyField id="resolve-notify" form={values} />
          <button class="btn btn-primary" type="submit">
            <Icon name="check" /> {props.view.kind === "incident" ? "Resolve incident" : "Complete maintenance"}
          </button>
        </PostForm>
      </div>
    </section>
  );
}

function Postmortem(props: IncidentScreenProps) {
  const values = valuesFor(props, "postmortem");
  const refusal = refusalFor(props, "postmortem");
  const published = props.record.postmortemPublishedAt;
  const canChange = props.session.actor.role !== "viewer";
  return (
    <section class="card" aria-labelledby="pm-h">
      <div class="card-h">
        <h2 id="pm-h">Postmortem</h2>
        <p>{published ? "Published" : props.record.postmortemMd ? "Draft" : "Not written"}</p>
      </div>
      <div class="card-b">
        {published && (
          <p class="meta">
            Published <Time at={published} />
          </p>
        )}
        <RefusalSummary refusal={refusal} />
        {canChange ? (
          <PostForm
            action={`/admin/incidents/${props.view.id}/postmortem`}
            csrf={props.session.csrfToken}
            label="Postmortem"
          >
            <BodyField
              id="pm-body"
              label="Postmortem"
              kind="postmortem"
              form={values}
              refusal={refusal}
              value={values.body ?? props.record.postmortemMd ?? ""}
              previewHtml={previewFor(props, "postmortem")}
              help="What happened, why, and what you change. Markdown."
              rows={8}
            />
            <div class="actions">
              <button class="btn btn-primary" type="submit" name="publish" value="true">
                {published ? "Publish changes" : "Publish postmortem"}
              </button>
              {!published && (
                <button class="btn" type="submit" name="publish" value="false">
                  Save draft
                </button>
              )}
              <button class="btn" type="submit" name="_preview" value="1">
                Preview
              </button>
            </div>
          </PostForm>
        ) : props.record.postmortemHtml ? (
          <div class="prose" dangerouslySetInnerHTML={{ __html: props.record.postmortemHtml }} />
        ) : (
          <p class="meta">No postmortem yet.</p>
        )}
      </div>
    </section>
  );
}

function DeliveryLog(props: { deliveries: IncidentDeliveries }) {
  const { events, failing } = props.deliveries;
  const eventsById = new Map(events.map((e) => [e.id, e]));
  return (
    <section class="card" aria-labelledby="deliveries-h">
      <div class="card-h">
        <h2 id="deliveries-h">Delivery log</h2>
        <p>How each one went</p>
      </div>
      {events.length === 0 ? (
        <p class="empty">Nothing was sent for this incident.</p>
      ) : (
        <ul class="list deliveries" aria-label="Notifications">
          {events.map((e) => (
            <li>
              <div class="row">
                <strong class="grow">{`${notificationLabel(e.kind)} · to ${audienceOf(e.kind)}`}</strong>
                <span class="meta">
                  <Time at={e.created_at} />
                </span>
              </div>
              <div class="meta">
                {`${e.sent} sent · ${e.queued} queued · `}
                {e.failed > 0 ? <strong class="error">{`${e.failed} failed`}</strong> : "0 failed"}
              </div>
            </li>
          ))}
        </ul>
      )}
      {failing.length > 0 && (
        <>
          <h3 class="card-sub" id="failing-h">
            Failed deliveries
          </h3>
          <ul class="list deliveries" aria-labelledby="failing-h">
            {failing.map((f) => {
              const event = eventsById.get(f.event_id);
              return (
                <li>
                  <div class="row">
                    <strong class="grow">
                      {`${event ? notificationLabel(event.kind) : "Notification"} · ${channelLabel(f.channel)} to `}
                      <span class="mono">{f.address ?? "(erased subscriber)"}</span>
                    </strong>
                    {event && (
                      <span class="meta">
                        <Time at={event.created_at} />
                      </span>
                    )}
                  </div>
                  <div class="meta">
                    <strong class="error">{`Failed after ${f.attempts} attempt${f.attempts === 1 ? "" : "s"}`}</strong>
                    {` · ${f.server_reply ?? f.last_error ?? "no reply recorded"}`}
                  </div>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
}

function channelLabel(channel: SubscriberChannel | null): string {
  return channel === "webhook" ? "Webhook" : channel === "email" ? "Email" : "Message";
}

/**
 * When it started; a maintenance that has not begun says when it starts, and one cancelled before it
 * began says neither (its window and cancellation are shown above).
 */
function StartLine(props: { view: IncidentView }) {
  const { view } = props;
  if (view.kind === "maintenance" && !hasBegun(view)) {
    if (isClosingStatus(view.status) || !view.scheduledFor) return null;
    return (
      <>
        <dt>Starts</dt>
        <dd>
          <Time at={view.scheduledFor} />
        </dd>
      </>
    );
  }
  return (
    <>
      <dt>Started</dt>
      <dd>
        <Time at={view.kind === "maintenance" ? (beganAt(view) ?? view.startedAt) : view.startedAt} />
      </dd>
    </>
  );
}

/** When a maintenance's work began: its first update past "scheduled" (updates are newest first). */
function beganAt(view: IncidentView): string | undefined {
  return view.updates.findLast((u) => u.status === "in_progress" || u.status === "verifying")?.displayAt;
}

function hasBegun(view: IncidentView): boolean {
  return beganAt(view) !== undefined;
}

export function IncidentScreen(props: IncidentScreenProps) {
  const { view, record, session } = props;
  const closed = isClosingStatus(view.status);
  const canChange = session.actor.role !== "viewer";
  const section = view.kind === "incident" ? "incidents" : "maintenance";
  return (
    <Layout title={view.name} section={section} session={session} pageName={props.page.name}>
      <PageHead
        title={view.name}
        crumbs={<a href={`/admin/${section}`}>{view.kind === "incident" ? "Incidents" : "Maintenance"}</a>}
        actions={
          <a class="btn" href={publicUrl(props.page, paths.incident(view.id))} rel="noopener">
            <Icon name="external" /> Public page
          </a>
        }
      />
      <Notice done={props.done} />
      <div class="row">
        <UpdateStatusBadge status={view.status} />
        {view.kind === "incident" && <ImpactBadge impact={view.impact} />}
        {view.nextUpdateDueAt && !closed && <Countdown dueAt={view.nextUpdateDueAt} now={props.now} />}
      </div>
      <div class="cols gap-top">
        <div class="grid">
          {canChange && !closed && <PostUpdate {...props} />}
          <ScheduledUpdatesCard updates={props.scheduled} kind={view.kind} session={session} active={props.active} />
          <section class="card" aria-labelledby="timeline-h">
            <div class="card-h">
              <h2 id="timeline-h">Timeline</h2>
              <p>{`${view.updates.length} update${view.updates.length === 1 ? "" : "s"}`}</p>
            </div>
            <Timeline {...props} />
          </section>
        </div>
        <div class="grid">
          <section class="card" aria-labelledby="details-h">
            <div class="card-h">
              <h2 id="details-h">Details</h2>
            </div>
            <div class="card-b">
              <dl class="kv">
                {view.kind === "maintenance" && view.scheduledFor && (
                  <>
                    <dt>Scheduled</dt>
                    <dd>
                      <Time at={view.scheduledFor} />
                      {view.scheduledUntil && (
                        <>
                          {" – "}
                          <Time at={view.scheduledUntil} />
                        </>
                      )}
                    </dd>
                  </>
                )}
                {view.kind === "maintenance" && (
                  <>
                    <dt>Runs</dt>
                    <dd>{`${record.autoStart ? "Starts by itself" : "Starts by hand"} · ${record.autoComplete ? "completes by itself" : "completes by hand"}`}</dd>
                  </>
                )}
                {record.cancelledAt && (
                  <>
                    <dt>Cancelled</dt>
                    <dd>
                      <Time at={record.cancelledAt} />
                    </dd>
                  </>
                )}
                <StartLine view={view} />
                {view.resolvedAt && (
                  <>
                    <dt>{view.kind === "incident" ? "Resolved" : "Completed"}</dt>
                    <dd>
                      <Time at={view.resolvedAt} />
                    </dd>
                  </>
                )}
                <dt>Components</dt>
                <dd>{view.components.length > 0 ? view.components.map((c) => c.name).join(", ") : "None"}</dd>
                <dt>Id</dt>
                <dd class="mono">{record.id}</dd>
              </dl>
            </div>
          </section>
          {canChange && !closed && view.kind === "maintenance" && (
            <MaintenanceWindowCard record={record} session={session} active={props.active} />
          )}
          {canChange && !closed && <Resolve {...props} />}
          {canChange && view.kind === "incident" && closed && <ReopenCard {...props} />}
          {view.kind === "incident" && closed && <Postmortem {...props} />}
          <DeliveryLog deliveries={props.deliveries} />
        </div>
      </div>
    </Layout>
  );
}
