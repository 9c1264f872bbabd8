/** @jsxImportSource hono/jsx */

import { isClosingStatus, statusesForKind } from "../../../core/model/statuses.ts";
import { updateStatusLook } from "../../../core/presentation/status.ts";
import { paths, publicUrl } from "../../../core/public/paths.ts";
import { errorsFor, Field, PostForm, RefusalSummary } from "../ui/form.tsx";
import { Icon } from "../ui/icons.tsx";
import { Layout, Notice, PageHead } from "../ui/layout.tsx";
import { MailPreviewPane } from "../ui/mail-preview.tsx";
import { ComponentStatusBadge, ImpactBadge, UpdateStatusBadge } from "../ui/status.tsx";
import { ComponentHint, TemplatePicker, TemplatePreviewPane, TemplateVariables } from "../ui/template-picker.tsx";
import { Countdown, Time, toLocalInput } from "../ui/time.tsx";
import { BodyField, ComponentFields, ImpactField, NextUpdateField, NotifyField } from "../ui/update-fields.tsx";
import { CommandCard, EscalationBanner } from "./command-card.tsx";
import { DeliveryLog, DeliverySummary } from "./delivery-log.tsx";
import { Postmortem, Resolve } from "./incident-closing.tsx";
import {
  type IncidentFormName,
  type IncidentScreenProps,
  previewFor,
  refusalFor,
  valuesFor,
} from "./incident-props.ts";
import { MaintenanceWindowCard } from "./maintenance-window-card.tsx";
import { PublishButtons } from "./open-shell.tsx";
import { ReopenCard } from "./reopen-card.tsx";
import { PublishWhenField, ScheduledUpdatesCard } from "./scheduled-updates.tsx";
import { StartLine } from "./start-line.tsx";

export type { IncidentFormName, IncidentScreenProps };

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
      {props.command.escalation && <EscalationBanner escalation={props.command.escalation} />}
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
          {view.kind === "incident" && <CommandCard {...props} />}
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
