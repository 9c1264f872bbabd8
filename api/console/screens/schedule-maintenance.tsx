/** @jsxImportSource hono/jsx */
import { errorsFor, Field, PostForm, RefusalSummary } from "../ui/form.tsx";
import { Layout, PageHead } from "../ui/layout.tsx";
import { BodyField, ComponentFields, NotifyField } from "../ui/update-fields.tsx";
import type { OpenScreenProps } from "./open-incident.tsx";

const REMINDERS = [
  ["0", "No reminder"],
  ["30", "30 minutes before"],
  ["60", "1 hour before"],
  ["180", "3 hours before"],
  ["1440", "1 day before"],
] as const;

/** Schedule a maintenance: when, what is affected, and whether subscribers hear about it. */
export function ScheduleMaintenanceScreen(props: OpenScreenProps) {
  const { form, refusal } = props;
  const remind = form.remind_minutes ?? "60";
  return (
    <Layout title="Schedule maintenance" section="maintenance" session={props.session} pageName={props.pageName}>
      <PageHead
        title="Schedule maintenance"
        crumbs={<a href="/admin/maintenance">Maintenance</a>}
        lead="Shown on the status page and in the maintenance calendar as soon as you schedule it."
      />
      <RefusalSummary refusal={refusal} />
      <PostForm action="/admin/maintenance/new" csrf={props.session.csrfToken} label="Schedule maintenance">
        <div class="cols">
          <section class="card" aria-labelledby="what-h">
            <div class="card-h">
              <h2 id="what-h">What and when</h2>
            </div>
            <div class="card-b">
              <Field id="name" label="Name" errors={errorsFor(refusal, "name")}>
                {(aria) => <input {...aria} type="text" name="name" value={form.name ?? ""} required autofocus />}
              </Field>
              <div class="field-row">
                <Field id="starts" label="Starts (UTC)" errors={errorsFor(refusal, "scheduled_for")}>
                  {(aria) => (
                    <input
                      {...aria}
                      type="datetime-local"
                      name="scheduled_for"
                      value={form.scheduled_for ?? ""}
                      required
                    />
                  )}
                </Field>
                <Field id="ends" label="Ends (UTC)" errors={errorsFor(refusal, "scheduled_until")}>
                  {(aria) => (
                    <input
                      {...aria}
                      type="datetime-local"
                      name="scheduled_until"
                      value={form.scheduled_until ?? ""}
                      required
                    />
                  )}
                </Field>
              </div>
              <BodyField id="body" label="Message" form={form} refusal={refusal} previewHtml={props.previewHtml} />
            </div>
          </section>
          <div class="grid">
            <section class="card" aria-labelledby="affects-h">
              <div class="card-h">
                <h2 id="affects-h">Affected components</h2>
              </div>
              <div class="card-b">
                <ComponentFields components={props.components} form={form} refusal={refusal} idPrefix="maint" />
              </div>
            </section>
            <section class="card" aria-labelledby="publish-h">
              <div class="card-h">
                <h2 id="publish-h">Notify</h2>
              </div>
              <div class="card-b">
                <Field id="remind" label="Remind subscribers" errors={errorsFor(refusal, "remind_minutes")}>
                  {(aria) => (
                    <select {...aria} name="remind_minutes">
                      {REMINDERS.map(([value, label]) => (
                        <option value={value} selected={remind === value}>
                          {label}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                <NotifyField id="notify" form={form} />
                <div class="actions">
                  <button class="btn btn-primary" type="submit">
                    Schedule maintenance
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
