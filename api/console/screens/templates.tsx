/** @jsxImportSource hono/jsx */

import type { ConsoleSession } from "../../../core/console/sessions.ts";
import type { ComponentRow } from "../../../core/model/rows.ts";
import { COMPONENT_STATUSES, IMPACTS, INCIDENT_STATUSES, MAINTENANCE_STATUSES } from "../../../core/model/statuses.ts";
import { componentLook, impactLook, KIND_LABELS, updateStatusLook } from "../../../core/presentation/status.ts";
import { formatMinutes } from "../../../core/presentation/time.ts";
import type { TemplatePreview } from "../../../core/templates/preview-template.ts";
import type { TemplateView } from "../../../core/templates/template-view.ts";
import { Card } from "../ui/card.tsx";
import { errorsFor, Field, type FormValues, PostForm, type Refusal, RefusalSummary, SelectField } from "../ui/form.tsx";
import { Layout, Notice, PageHead } from "../ui/layout.tsx";
import { TemplatePreviewContent } from "../ui/template-picker.tsx";
import { ComponentFields } from "../ui/update-fields.tsx";

const STATUS_CHOICES = [...INCIDENT_STATUSES, ...MAINTENANCE_STATUSES].map(
  (s) =>
    [
      s,
      `${updateStatusLook(s).label} (${INCIDENT_STATUSES.includes(s as never) ? "incident" : "maintenance"})`,
    ] as const,
);
const IMPACT_CHOICES = [
  ["", "Computed from components"],
  ...IMPACTS.map((i) => [i, impactLook(i).label] as const),
] as const;
const COMPONENT_STATUS_CHOICES = [
  ["", "Chosen when posting"],
  ...COMPONENT_STATUSES.map((s) => [s, componentLook(s).label] as const),
] as const;

export type TemplateEditProps = {
  session: ConsoleSession;
  pageName: string;
  components: ComponentRow[];
  /** Absent: a new template. */
  template?: TemplateView | undefined;
  form: FormValues;
  refusal?: Refusal | undefined;
  preview?: TemplatePreview | undefined;
  previewProblem?: string | undefined;
  /** The preview is of the form as typed, not the saved template. */
  draft?: boolean | undefined;
  done?: string | undefined;
};

/** What a template says, for a viewer, who may read it but not change it (no form, as on the settings screen). */
function TemplateFacts(props: { template: TemplateView; components: ComponentRow[] }) {
  const { template } = props;
  const names = new Map(props.components.map((c) => [c.id, c.name]));
  const set = Object.entries(template.components);
  return (
    <Card id="template" title="Template" padded>
      <dl class="kv">
        <dt>Kind</dt>
        <dd>{KIND_LABELS[template.kind]}</dd>
        <dt>Posts the status</dt>
        <dd>{labelOf(STATUS_CHOICES, template.status)}</dd>
        <dt>Title</dt>
        <dd>{template.title}</dd>
        <dt>Body</dt>
        <dd>
          <pre class="mono">{template.body}</pre>
        </dd>
        <dt>Impact</dt>
        <dd>{labelOf(IMPACT_CHOICES, template.impact)}</dd>
        <dt>Next update in</dt>
        <dd>
          {template.next_update_in_minutes === null ? "No promise" : formatMinutes(template.next_update_in_minutes)}
        </dd>
        <dt>Status of the components a post lists</dt>
        <dd>{labelOf(COMPONENT_STATUS_CHOICES, template.component_status)}</dd>
        <dt>Components set whenever it is used</dt>
        <dd>
          {set.length === 0
            ? "None"
            : set.map(([id, status]) => `${names.get(id) ?? id}: ${componentLook(status).label}`).join(", ")}
        </dd>
        <dt>Variables</dt>
        <dd>
          {template.variables.length === 0 ? (
            "None"
          ) : (
            <pre class="mono">{JSON.stringify(template.variables, null, 2)}</pre>
          )}
        </dd>
      </dl>
    </Card>
  );
}

function labelOf(choices: readonly (readonly [string, string])[], value: string | null): string {
  return choices.find(([choice]) => choice === (value ?? ""))?.[1] ?? value ?? "";
}

/** Create or edit a template; a viewer reads it without a form. */
export function TemplateEditScreen(props: TemplateEditProps) {
  const { form, refusal, template } = props;
  const canChange = props.session.actor.role !== "viewer";
  const title = template ? template.name : "New template";
  const action = template ? `/admin/templates/${template.id}` : "/admin/templates/new";
  return (
    <Layout title={title} section="templates" session={props.session} pageName={props.pageName}>
      <PageHead
        title={title}
        crumbs={<a href="/admin/templates">Templates</a>}
        lead={
          template
            ? `${template.source === "stock" ? "Stock" : "Own"} template · id ${template.id}${canChange ? "" : " · only a commander or an admin can change it"}`
            : "Write it once, calmly; use it at 3 a.m."
        }
      />
      <Notice done={props.done} />
      <RefusalSummary refusal={refusal} />
      <div class="cols">
        {!canChange && template && <TemplateFacts template={template} components={props.components} />}
        {canChange && (
          <PostForm action={action} csrf={props.session.csrfToken} label={title}>
            <Card id="template" title="Template" padded>
              <fieldset class="plain">
                <legend class="sr-only">Template fields</legend>
                <div class="field-row">
                  <Field id="t-name" label="Name" errors={errorsFor(refusal, "name")}>
                    {(aria) => <input {...aria} type="text" name="name" value={form.name ?? ""} required />}
                  </Field>
                  {!template && (
                    <Field
                      id="t-id"
                      label="Id (optional)"
                      help="Made from the name when empty, e.g. db-failover."
                      errors={errorsFor(refusal, "id")}
                    >
                      {(aria) => <input {...aria} type="text" name="id" value={form.id ?? ""} />}
                    </Field>
                  )}
                </div>
                <div class="field-row">
                  <SelectField
                    id="t-kind"
                    label="Kind"
                    name="kind"
                    chosen={form.kind ?? "incident"}
                    choices={Object.entries(KIND_LABELS)}
                    errors={errorsFor(refusal, "kind")}
                  />
                  <SelectField
                    id="t-status"
                    label="Posts the status"
                    name="status"
                    chosen={form.status ?? "investigating"}
                    choices={STATUS_CHOICES}
                    errors={errorsFor(refusal, "status")}
                  />
                </div>
                <Field
                  id="t-title"
                  label="Title"
                  help="The incident's name when opening one from it; {{variable}} allowed."
                  errors={errorsFor(refusal, "title")}
                >
                  {(aria) => <input {...aria} type="text" name="title" value={form.title ?? ""} required />}
                </Field>
                <Field
                  id="t-body"
                  label="Body"
                  help="Markdown with {{variable}} blanks. Built in: {{components}}, {{next_update_at}}, {{page_name}}, {{incident_name}}, {{starts_at}}, {{ends_at}}."
                  errors={errorsFor(refusal, "body")}
                >
                  {(aria) => (
                    <textarea {...aria} name="body" rows={9} required>
                      {form.body ?? ""}
                    </textarea>
                  )}
                </Field>
                <div class="field-row">
                  <SelectField
                    id="t-impact"
                    label="Impact"
                    name="impact"
                    chosen={form.impact ?? ""}
                    choices={IMPACT_CHOICES}
                    errors={errorsFor(refusal, "impact")}
                  />
                  <Field
                    id="t-next"
                    label="Next update in (minutes)"
                    help="Empty: no promise."
                    errors={errorsFor(refusal, "next_update_in_minutes")}
                  >
                    {(aria) => (
                      <input
                        {...aria}
                        type="number"
                        min="1"
                        name="next_update_in_minutes"
                        value={form.next_update_in_minutes ?? ""}
                      />
                    )}
                  </Field>
                </div>
                <SelectField
                  id="t-component-status"
                  label="Status of the components a post lists"
                  name="component_status"
                  chosen={form.component_status ?? ""}
                  choices={COMPONENT_STATUS_CHOICES}
                  errors={errorsFor(refusal, "component_status")}
                />
                <ComponentFields
                  components={props.components}
                  form={form}
                  refusal={refusal}
                  idPrefix="t"
                  legend="Components set whenever it is used"
                />
                <Field
                  id="t-variables"
                  label="Variables (JSON)"
                  help='A list like [{"name": "who", "description": "Who is affected", "required": true}]; "default" and "choices" ({"yes": "Markdown…"}) are optional.'
                  errors={errorsFor(refusal, "variables")}
                >
                  {(aria) => (
                    <textarea {...aria} name="variables" rows={8} class="mono">
                      {form.variables ?? "[]"}
                    </textarea>
                  )}
                </Field>
              </fieldset>
              <div class="actions">
                <button class="btn btn-primary" type="submit">
                  {template ? "Save template" : "Create template"}
                </button>
                <button class="btn" type="submit" formaction={`${action}/draft#t-preview-h`}>
                  Preview without saving
                </button>
                <a class="btn" href="/admin/templates">
                  Cancel
                </a>
              </div>
            </Card>
          </PostForm>
        )}
        {!template && !props.draft && (
          <Card id="t-tips" title="What a good template says" padded>
            <ul class="tips">
              <li>Who is affected and what they notice, in plain words.</li>
              <li>No promised fix times: say when the next update comes ({"{{next_update_at}}"}).</li>
              <li>At the end, whether any data was lost: a variable with yes/no choices says it either way.</li>
              <li>“Preview without saving” shows it exactly as the page and the mail will.</li>
            </ul>
          </Card>
        )}
        {(template || props.draft) && (
          <div class="grid">
            <Card
              id="t-preview"
              title="Preview"
              aside={
                props.draft
                  ? "As typed, not saved yet; variables at their defaults"
                  : "Saved version, variables at their defaults"
              }
              padded
            >
              <div class="preview">
                <TemplatePreviewContent preview={props.preview} problem={props.previewProblem} />
              </div>
            </Card>
            {template && canChange && (
              <Card id="t-delete" title="Delete" padded>
                <p class="meta">
                  Posts made from it stay as they are.{" "}
                  {template.source === "stock" ? "A deleted stock template is not seeded again." : ""}
                </p>
                <PostForm
                  action={`/admin/templates/${template.id}/delete`}
                  csrf={props.session.csrfToken}
                  confirm={`Delete the template “${template.name}”?`}
                  label="Delete template"
                  ask="Delete template…"
                >
                  <button class="btn btn-danger" type="submit">
                    Yes, delete it
                  </button>
                </PostForm>
              </Card>
            )}
          </div>
        )}
      </div>
    </Layout>
  );
}
