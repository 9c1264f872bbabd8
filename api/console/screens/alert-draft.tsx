/** @jsxImportSource hono/jsx */
import type { DraftView } from "../../../core/alerts/drafts/schemas.ts";
import type { ConsoleSession } from "../../../core/console/sessions.ts";
import type { ComponentRow } from "../../../core/model/rows.ts";
import { updateStatusLook } from "../../../core/presentation/status.ts";
import { Card } from "../ui/card.tsx";
import { DraftAlertList } from "../ui/draft-alerts.tsx";
import { errorsFor, Field, type FormValues, PostForm, type Refusal, RefusalSummary } from "../ui/form.tsx";
import { Layout, PageHead } from "../ui/layout.tsx";
import { type MailPreview, MailPreviewPane } from "../ui/mail-preview.tsx";
import { Time } from "../ui/time.tsx";
import { BodyField, ComponentFields, ImpactField, NotifyField } from "../ui/update-fields.tsx";
import { PublishButtons } from "./open-shell.tsx";

export type DraftScreenProps = {
  session: ConsoleSession;
  pageName: string;
  draft: DraftView;
  components: ComponentRow[];
  /** The incident as it will be published: the draft's fields, or what the person changed. */
  form: FormValues;
  refusal?: Refusal | undefined;
  previewHtml?: string | undefined;
  mailPreview?: MailPreview | undefined;
};

const FIRST_STATUSES = ["investigating", "identified", "monitoring"] as const;

/**
 * One draft incident from alerts: its alerts, the incident as the template drafted it (every field editable),
 * the preview of what publishing posts, and Publish or Discard. A decided draft shows what became of it.
 */
export function AlertDraftScreen(props: DraftScreenProps) {
  const { draft, form, refusal, session } = props;
  const waiting = draft.state === "waiting";
  const canDecide = session.actor.role !== "viewer";
  const action = `/admin/alerts/drafts/${draft.id}`;
  return (
    <Layout title={`Draft: ${draft.name}`} section="dashboard" session={session} pageName={props.pageName}>
      <PageHead
        title={waiting ? "Review draft incident" : "Draft incident"}
        crumbs={<a href="/admin">Dashboard</a>}
        lead={
          waiting
            ? "Alerts drafted this incident. Nothing is on the status page or in anyone's inbox until you publish it."
            : undefined
        }
      />
      <RefusalSummary refusal={refusal} />
      {!waiting && <DecidedCard draft={draft} />}
      <div class="grid gap-bottom">
        <Card
          id="alerts"
          title="Firing alerts"
          aside={
            <>
              {"Drafted "}
              <Time at={draft.created_at} />
              {draft.rule_name && ` by the rule “${draft.rule_name}”`}
            </>
          }
          padded
        >
          <DraftAlertList alerts={draft.alerts} />
        </Card>
      </div>
      {waiting && canDecide && (
        <>
          <PostForm action={action} csrf={session.csrfToken} label="Publish draft incident">
            <div class="cols">
              <Card id="what" title="What it will say" padded>
                <Field id="name" label="Name" errors={errorsFor(refusal, "name")}>
                  {(aria) => <input {...aria} type="text" name="name" value={form.name ?? ""} required />}
                </Field>
                <Field id="status" label="Status" errors={errorsFor(refusal, "status")}>
                  {(aria) => (
                    <select {...aria} name="status">
                      {FIRST_STATUSES.map((s) => (
                        <option value={s} selected={(form.status ?? "investigating") === s}>
                          {updateStatusLook(s).label}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                <BodyField id="body" label="Message" form={form} refusal={refusal} previewHtml={props.previewHtml} />
                <MailPreviewPane id="draft-mail-preview" preview={props.mailPreview} />
              </Card>
              <div class="grid">
                <Card id="impact" title="Impact" padded>
                  <ComponentFields components={props.components} form={form} refusal={refusal} idPrefix="draft" />
                  <ImpactField id="impact" form={form} refusal={refusal} />
                </Card>
                <Card id="publish" title="Publish" padded>
                  {draft.auto_publish_at && (
                    <p class="meta">
                      {"Publishes by itself "}
                      <Time at={draft.auto_publish_at} />
                      {" unless someone publishes or discards it first."}
                    </p>
                  )}
                  <NotifyField id="notify" form={form} />
                  <PublishButtons label="Publish incident" />
                </Card>
              </div>
            </div>
          </PostForm>
          <div class="gap-top">
            <PostForm
              action={`${action}/discard`}
              csrf={session.csrfToken}
              label="Discard draft"
              ask="Discard draft"
              confirm="Discard this draft? No incident is published; the components the alerts moved stay as they are."
            >
              <button class="btn btn-danger" type="submit">
                Discard draft
              </button>
            </PostForm>
          </div>
        </>
      )}
    </Layout>
  );
}

function DecidedCard(props: { draft: DraftView }) {
  const { draft } = props;
  return (
    <div class="grid gap-bottom">
      <Card id="decided" title={draft.state === "published" ? "Published" : "Discarded"} padded>
        <p>
          {`${draft.state === "published" ? "Published" : "Discarded"} by ${draft.decided_by ?? "someone"} `}
          {draft.decided_at && <Time at={draft.decided_at} />}
          {draft.incident_id && (
            <>
              {" · "}
              <a href={`/admin/incidents/${draft.incident_id}`}>Open its incident</a>
            </>
          )}
        </p>
      </Card>
    </div>
  );
}
