/** @jsxImportSource hono/jsx */
import type { ConsoleSession } from "../../../core/console/sessions.ts";
import { INCIDENT_STATUSES, UPDATE_STATUS_LABELS } from "../../../core/statuses.ts";
import type { ComponentRow } from "../../../core/types.ts";
import { errorsFor, Field, type FormValues, PostForm, type Refusal, RefusalSummary } from "../ui/form.tsx";
import { Layout, PageHead } from "../ui/layout.tsx";
import { BodyField, ComponentFields, ImpactField, NextUpdateField, NotifyField } from "../ui/update-fields.tsx";

export type OpenScreenProps = {
  session: ConsoleSession;
  pageName: string;
  components: ComponentRow[];
  form: FormValues;
  refusal?: Refusal | undefined;
  previewHtml?: string | undefined;
};

/** Open an incident: everything the first post needs on one screen, published with one button. */
export function OpenIncidentScreen(props: OpenScreenProps) {
  const { form, refusal } = props;
  const status = form.status ?? "investigating";
  return (
    <Layout title="Open incident" section="incidents" session={props.session} pageName={props.pageName}>
      <PageHead
        title="Open incident"
        crumbs={<a href="/admin/incidents">Incidents</a>}
        lead="Published on the status page as soon as you press Publish."
      />
      <RefusalSummary refusal={refusal} />
      <PostForm action="/admin/incidents/new" csrf={props.session.csrfToken} label="Open incident">
        <div class="cols">
          <section class="card" aria-labelledby="what-h">
            <div class="card-h">
              <h2 id="what-h">What is happening</h2>
            </div>
            <div class="card-b">
              <Field
                id="name"
                label="Name"
                help="The headline readers see, e.g. “Elevated API error rates”."
                errors={errorsFor(refusal, "name")}
              >
                {(aria) => <input {...aria} type="text" name="name" value={form.name ?? ""} required autofocus />}
              </Field>
              <Field id="status" label="Status" errors={errorsFor(refusal, "status")}>
                {(aria) => (
                  <select {...aria} name="status">
                    {INCIDENT_STATUSES.filter((s) => s !== "resolved" && s !== "postmortem").map((s) => (
                      <option value={s} selected={status === s}>
                        {UPDATE_STATUS_LABELS[s]}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <BodyField id="body" label="Message" form={form} refusal={refusal} previewHtml={props.previewHtml} />
            </div>
          </section>
          <div class="grid">
            <section class="card" aria-labelledby="impact-h">
              <div class="card-h">
                <h2 id="impact-h">Impact</h2>
              </div>
              <div class="card-b">
                <ComponentFields components={props.components} form={form} refusal={refusal} idPrefix="open" />
                <ImpactField id="impact" form={form} refusal={refusal} />
              </div>
            </section>
            <section class="card" aria-labelledby="publish-h">
              <div class="card-h">
                <h2 id="publish-h">Publish</h2>
              </div>
              <div class="card-b">
                <NextUpdateField id="next-update" form={form} refusal={refusal} fallback="30" />
                <NotifyField id="notify" form={form} />
                <div class="actions">
                  <button class="btn btn-primary" type="submit">
                    Publish incident
                  </button>
                  <button class="btn" type="submit" name="_preview" value="1" formnovalidate>
                    Preview
                  </button>
                </div>
              </div>
            </section>
          </div>
        </div>
      </PostForm>
    </Layout>
  );
}
