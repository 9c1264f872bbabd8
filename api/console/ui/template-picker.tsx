/** @jsxImportSource hono/jsx */
import { componentLook } from "../../../core/presentation/status.ts";
import type { TemplatePreview } from "../../../core/templates/preview-template.ts";
import { namesUsed } from "../../../core/templates/render.ts";
import type { VariableDeclaration } from "../../../core/templates/schemas.ts";
import type { TemplateView } from "../../../core/templates/template-view.ts";
import { variableField } from "../template-form.ts";
import { Card } from "./card.tsx";
import { errorsFor, Field, type FormValues, type Refusal } from "./form.tsx";
import { UpdateStatusBadge } from "./status.tsx";

/** The templates a form may start from, the one chosen, and its preview. */
export type TemplateChoice = {
  templates: TemplateView[];
  chosen?: TemplateView | undefined;
  /** Where choosing a template goes (a GET that re-renders the form with its fields). */
  pickUrl: string;
  /** Where the live preview posts. */
  previewUrl?: string | undefined;
  preview?: TemplatePreview | undefined;
  previewProblem?: string | undefined;
};

/** Choosing a template is a plain GET: without JavaScript the form comes back with its fields. */
export function TemplatePicker(props: { choice: TemplateChoice; idPrefix: string; refusal?: Refusal | undefined }) {
  const { choice, idPrefix } = props;
  const id = `${idPrefix}-template`;
  const topErrors = props.refusal?.fields.filter((f) => f.path === "template" || f.path === "variables") ?? [];
  return (
    <form method="get" action={choice.pickUrl} class="picker" aria-label="Choose a template">
      <div class="field">
        <label for={id}>Template</label>
        <div class="picker-row">
          <select
            id={id}
            name="template"
            data-autosubmit
            aria-describedby={`${id}-help${topErrors.length ? ` ${id}-error` : ""}`}
          >
            <option value="">Free text (no template)</option>
            {choice.templates.map((t) => (
              <option value={t.id} selected={choice.chosen?.id === t.id}>
                {t.source === "stock" ? t.name : `${t.name} (own)`}
              </option>
            ))}
          </select>
          <button class="btn" type="submit">
            Use template
          </button>
        </div>
        <p class="help" id={`${id}-help`}>
          Fills in the wording, statuses and next update; you fill in the blanks and can change anything.
        </p>
        {topErrors.length > 0 && (
          <p class="error" id={`${id}-error`}>
            {topErrors.map((f) => f.message).join("; ")}
          </p>
        )}
      </div>
    </form>
  );
}

function words(name: string): string {
  const spaced = name.replace(/_/g, " ");
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

function VariableField(props: {
  variable: VariableDeclaration;
  form: FormValues;
  refusal: Refusal | undefined;
  idPrefix: string;
}) {
  const { variable, form } = props;
  const name = variableField(variable.name);
  const id = `${props.idPrefix}-var-${variable.name}`;
  const errors = errorsFor(props.refusal, `variables.${variable.name}`);
  const value = form[name] ?? "";
  const label = `${words(variable.name)}${variable.required ? " (required)" : ""}`;
  const help = variable.description || undefined;
  const choices = variable.choices ? Object.keys(variable.choices) : null;
  if (choices && choices.length <= 4) {
    const describedBy = [help ? `${id}-help` : "", errors.length ? `${id}-error` : ""].filter(Boolean).join(" ");
    return (
      <fieldset class="choices" aria-describedby={describedBy || undefined}>
        <legend>{label}</legend>
        <div class="radios">
          {choices.map((choice) => (
            <label class="radio" for={`${id}-${choice}`}>
              <input
                type="radio"
                id={`${id}-${choice}`}
                name={name}
                value={choice}
                checked={value === choice}
                required={variable.required}
              />
              <span>{words(choice)}</span>
            </label>
          ))}
        </div>
        {help && (
          <p class="help" id={`${id}-help`}>
            {help}
          </p>
        )}
        {errors.length > 0 && (
          <p class="error" id={`${id}-error`}>
            {errors.join("; ")}
          </p>
        )}
      </fieldset>
    );
  }
  return (
    <Field id={id} label={label} help={help} errors={errors}>
      {(aria) =>
        choices ? (
          <select {...aria} name={name} required={variable.required}>
            <option value="">Choose…</option>
            {choices.map((choice) => (
              <option value={choice} selected={value === choice}>
                {words(choice)}
              </option>
            ))}
          </select>
        ) : (
          <input {...aria} type="text" name={name} value={value} required={variable.required} />
        )
      }
    </Field>
  );
}

/** The variables an update from the template fills in: a variable used only in the title is not needed then. */
function variablesForUpdate(template: TemplateView): VariableDeclaration[] {
  const inBody = new Set([
    ...namesUsed(template.body, "body"),
    ...template.variables.flatMap((v) => Object.values(v.choices ?? {}).flatMap((text) => namesUsed(text, "choices"))),
  ]);
  return template.variables.filter((v) => inBody.has(v.name));
}

/** The chosen template's variables, as fields; the template itself rides along hidden. */
export function TemplateVariables(props: {
  template: TemplateView;
  form: FormValues;
  refusal: Refusal | undefined;
  idPrefix: string;
  /** An update of an incident: the title is not used. */
  updating?: boolean;
}) {
  const variables = props.updating ? variablesForUpdate(props.template) : props.template.variables;
  return (
    <>
      <input type="hidden" name="template" value={props.template.id} />
      {variables.length === 0 ? (
        <p class="meta">This template has no blanks to fill in.</p>
      ) : (
        variables.map((variable) => (
          <VariableField variable={variable} form={props.form} refusal={props.refusal} idPrefix={props.idPrefix} />
        ))
      )}
    </>
  );
}

/** The preview's content: title, status and the body exactly as the page and the mail show it. */
export function TemplatePreviewContent(props: { preview?: TemplatePreview | undefined; problem?: string | undefined }) {
  const { preview } = props;
  if (!preview) return <p class="meta">{props.problem ?? "Fill in the fields to see the preview."}</p>;
  return (
    <>
      <div class="row">
        <strong class="grow">{preview.title}</strong>
        <UpdateStatusBadge status={preview.status} />
      </div>
      {/* Sanitized by core/text/markdown.ts, exactly as stored for the page and the mail. */}
      <div class="prose spaced" dangerouslySetInnerHTML={{ __html: preview.body_html }} />
      {props.problem && <p class="error">{props.problem}</p>}
    </>
  );
}

export function TemplatePreviewPane(props: { id: string; choice: TemplateChoice }) {
  return (
    <>
      <p class="preview-label" id={`${props.id}-label`}>
        Preview: as on the status page and in the mail
      </p>
      <section
        class="preview"
        id={props.id}
        aria-labelledby={`${props.id}-label`}
        aria-live="polite"
        data-template-preview={props.choice.previewUrl}
      >
        <TemplatePreviewContent preview={props.choice.preview} problem={props.choice.previewProblem} />
      </section>
    </>
  );
}

/** The picker as a card of its own, above a form (forms cannot nest). */
export function TemplatePickerCard(props: { choice: TemplateChoice; idPrefix: string; refusal?: Refusal | undefined }) {
  return (
    <Card id={`${props.idPrefix}-picker`} title="Start from a template" padded>
      <TemplatePicker {...props} />
    </Card>
  );
}

/** What the chosen template does to the components it is posted with. */
export function ComponentHint(props: { template: TemplateView | undefined }) {
  const status = props.template?.component_status;
  if (!status) return null;
  return (
    <p class="help gap-bottom-s">{`This template sets each component you choose to ${componentLook(status).label}; pick them here.`}</p>
  );
}
