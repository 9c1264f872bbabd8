/** @jsxImportSource hono/jsx */
import type { AlertLogPage } from "../../../core/alerts/sources/alert-log.ts";
import {
  type AlertSourceView,
  type AlertSourceWithToken,
  CREATABLE_SOURCE_KINDS,
} from "../../../core/alerts/sources/schemas.ts";
import { senderConfig } from "../../../core/alerts/sources/sender-config.ts";
import type { ConsoleSession } from "../../../core/console/sessions.ts";
import { errorsFor, Field, type FormValues, PostForm, type Refusal, RefusalSummary, SelectField } from "../ui/form.tsx";
import { Icon } from "../ui/icons.tsx";
import { Layout, Notice, PageHead } from "../ui/layout.tsx";
import { Time } from "../ui/time.tsx";
import { IntakeLog, type IntakeLogFilters } from "./intake-log.tsx";

const KIND_LABELS: Record<(typeof CREATABLE_SOURCE_KINDS)[number], string> = {
  alertmanager: "Prometheus Alertmanager (webhook)",
  grafana: "Grafana alerting (webhook contact point)",
  pagerduty: "PagerDuty (v3 webhook, signed)",
  generic: "Generic JSON (scripts, anything else)",
  heartbeat: "Heartbeat (a URL a cron job pings)",
};

export type AlertsScreenProps = {
  session: ConsoleSession;
  pageName: string;
  sources: AlertSourceView[];
  log: AlertLogPage;
  filters: IntakeLogFilters;
  done: string | undefined;
  created?: AlertSourceWithToken | undefined;
  refusal?: Refusal | undefined;
  values?: FormValues | undefined;
};

export function AlertsScreen(props: AlertsScreenProps) {
  const admin = props.session.actor.role === "admin";
  return (
    <Layout title="Alerts" section="alerts" session={props.session} pageName={props.pageName}>
      <PageHead
        title="Alerts"
        lead="Monitoring delivers alerts here. Rules move components and draft incidents; a person publishes the words."
        actions={
          <a class="btn" href="/admin/alerts/rules">
            <Icon name="list" /> Rules
          </a>
        }
      />
      <Notice done={props.done} />
      <RefusalSummary refusal={props.refusal} />
      {props.created && <CreatedSource source={props.created} />}
      <div class="cols gap-top">
        <SourceList sources={props.sources} csrf={props.session.csrfToken} admin={admin} />
        {admin && <CreateSource csrf={props.session.csrfToken} refusal={props.refusal} values={props.values ?? {}} />}
      </div>
      <IntakeLog log={props.log} sources={props.sources} filters={props.filters} />
    </Layout>
  );
}

function CreatedSource(props: { source: AlertSourceWithToken }) {
  const { source } = props;
  return (
    <section class="card" aria-labelledby="created-h">
      <div class="card-h">
        <h2 id="created-h">{`Source “${source.name}” ready`}</h2>
      </div>
      <div class="card-b">
        <p>
          Copy its token now: it is shown this once and cannot be recovered. It can only deliver to{" "}
          <code>{source.intake_url}</code>.
        </p>
        <code class="secret" id="new-secret">
          {source.token}
        </code>
        <h3 class="gap-top">Paste into the sender</h3>
        <pre class="secret sender-config" id="sender-config">
          {senderConfig(source, source.intake_url, source.token)}
        </pre>
      </div>
    </section>
  );
}

function lastSeen(source: AlertSourceView) {
  if (source.kind === "heartbeat") {
    return source.last_ping_at ? (
      <>
        {`every ${source.heartbeat_minutes} min · last ping `}
        <Time at={source.last_ping_at} />
      </>
    ) : (
      `every ${source.heartbeat_minutes} min · no ping yet`
    );
  }
  return source.last_used_at ? (
    <>
      {"last delivery "}
      <Time at={source.last_used_at} />
    </>
  ) : (
    "no delivery yet"
  );
}

function SourceList(props: { sources: AlertSourceView[]; csrf: string; admin: boolean }) {
  const working = props.sources.filter((s) => !s.revoked_at).length;
  return (
    <section class="card" aria-labelledby="sources-h">
      <div class="card-h">
        <h2 id="sources-h">Sources</h2>
        <p>{`${working} working`}</p>
      </div>
      {props.sources.length === 0 ? (
        <p class="empty">No sources yet. Create one for each monitoring system that should move the page.</p>
      ) : (
        <ul class="list">
          {props.sources.map((s) => (
            <li>
              <div class="row">
                <div class="grow">
                  <strong>{s.name}</strong> <span class="role">{s.kind}</span>
                  <div class="meta">
                    <code>{s.intake_path}</code>
                    {" · "}
                    {lastSeen(s)}
                  </div>
                </div>
                {s.revoked_at ? (
                  <span class="status s-neutral">
                    <Icon name="xCircle" />
                    {"Revoked "}
                    <Time at={s.revoked_at} />
                  </span>
                ) : (
                  props.admin && (
                    <div class="row">
                      <PostForm
                        action={`/admin/alerts/sources/${s.id}/token`}
                        csrf={props.csrf}
                        confirm={`Give “${s.name}” a new token? The old one stops working at once; update the sender.`}
                        label={`New token for ${s.name}`}
                        ask="New token…"
                      >
                        <button class="btn btn-small" type="submit">
                          Yes, replace its token
                        </button>
                      </PostForm>
                      <PostForm
                        action={`/admin/alerts/sources/${s.id}/revoke`}
                        csrf={props.csrf}
                        confirm={`Revoke “${s.name}”? Its deliveries are refused from now on.`}
                        label={`Revoke ${s.name}`}
                        ask="Revoke…"
                      >
                        <button class="btn btn-small btn-danger" type="submit">
                          Yes, revoke
                        </button>
                      </PostForm>
                    </div>
                  )
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function CreateSource(props: { csrf: string; refusal: Refusal | undefined; values: FormValues }) {
  const { values, refusal } = props;
  return (
    <section class="card" aria-labelledby="create-source-h">
      <div class="card-h">
        <h2 id="create-source-h">Add a source</h2>
      </div>
      <div class="card-b">
        <PostForm action="/admin/alerts/sources" csrf={props.csrf} label="Add an alert source">
          <Field
            id="source-name"
            label="Name"
            help="What people call it, e.g. “Prometheus”."
            errors={errorsFor(refusal, "name")}
          >
            {(aria) => <input {...aria} type="text" name="name" value={values.name ?? ""} required />}
          </Field>
          <SelectField
            id="source-kind"
            label="Kind"
            name="kind"
            chosen={values.kind ?? "alertmanager"}
            choices={CREATABLE_SOURCE_KINDS.map((kind) => [kind, KIND_LABELS[kind]] as const)}
            errors={errorsFor(refusal, "kind")}
          />
          <Field
            id="source-id"
            label="Id (optional)"
            help="Its name in the intake URL; made from the name when empty."
            errors={errorsFor(refusal, "id")}
          >
            {(aria) => <input {...aria} type="text" name="id" value={values.id ?? ""} />}
          </Field>
          <Field
            id="source-secret"
            label="PagerDuty signing secret"
            help="PagerDuty only: the secret its webhook subscription shows once."
            errors={errorsFor(refusal, "signing_secret")}
          >
            {(aria) => <input {...aria} type="password" name="signing_secret" autocomplete="off" />}
          </Field>
          <Field
            id="source-minutes"
            label="Heartbeat period (minutes)"
            help="Heartbeats only: no ping for this long raises its alert."
            errors={errorsFor(refusal, "heartbeat_minutes")}
          >
            {(aria) => (
              <input {...aria} type="number" min="1" name="heartbeat_minutes" value={values.heartbeat_minutes ?? ""} />
            )}
          </Field>
          <button class="btn btn-primary" type="submit">
            <Icon name="plus" /> Add source
          </button>
        </PostForm>
      </div>
    </section>
  );
}
