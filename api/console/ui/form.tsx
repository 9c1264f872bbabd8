/** @jsxImportSource hono/jsx */
import type { Child } from "hono/jsx";
import type { FieldError, HeraldError } from "../../../core/actions/errors.ts";

/** A submitted form's fields, as strings (checkboxes present only when ticked). */
export type FormValues = Record<string, string>;

/** What a screen needs to show a refused change: the message and the errors by field. */
export type Refusal = { message: string; fields: FieldError[] };

export function refusalOf(error: HeraldError): Refusal {
  return { message: error.message, fields: error.fieldErrors };
}

export function errorsFor(refusal: Refusal | undefined, path: string): string[] {
  if (!refusal) return [];
  return refusal.fields.filter((f) => f.path === path || f.path.startsWith(`${path}.`)).map((f) => f.message);
}

/** The hidden per-session token every console form carries. */
export function Csrf(props: { token: string }) {
  return <input type="hidden" name="_csrf" value={props.token} />;
}

/**
 * A form that posts with the session's token. With `confirm` (a destructive action) its button sits
 * behind a first click that shows what will happen: a `<details>` step, so the confirmation holds
 * without JavaScript too (a `confirm()` dialog did only with it).
 */
export function PostForm(props: {
  action: string;
  csrf: string;
  children?: Child;
  class?: string;
  confirm?: string;
  /** The first step's button when `confirm` is set (default `label`). */
  ask?: string;
  enctype?: "multipart/form-data";
  label?: string;
}) {
  return (
    <form method="post" action={props.action} class={props.class} enctype={props.enctype} aria-label={props.label}>
      <Csrf token={props.csrf} />
      {props.confirm ? (
        <details class="confirm-step">
          <summary class="btn btn-small btn-danger">{props.ask ?? props.label ?? "Delete"}</summary>
          <fieldset class="confirm-panel">
            <legend>{props.confirm}</legend>
            {props.children}
          </fieldset>
        </details>
      ) : (
        props.children
      )}
    </form>
  );
}

/** A refused change: nothing was written; each problem is also shown beside its field. */
export function RefusalSummary(props: { refusal: Refusal | undefined }) {
  if (!props.refusal) return null;
  const fields = props.refusal.fields;
  return (
    <div class="alert" role="alert">
      <strong>Nothing was changed.</strong>{" "}
      {fields.length > 0 ? "Please correct the fields marked below." : props.refusal.message}
      {fields.length > 0 && (
        <ul>
          {fields.map((f) => (
            <li>{`${fieldName(f.path)}: ${f.message}`}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

const FIELD_NAMES: Record<string, string> = {
  name: "Name",
  body: "Message",
  status: "Status",
  impact: "Impact",
  components: "Components",
  next_update_in_minutes: "Next update in",
  display_at: "Shown time",
  publish_at: "Publish at",
  scheduled_for: "Starts",
  scheduled_until: "Ends",
  remind_minutes: "Reminder",
  description: "Description",
  group_id: "Group",
  role: "Role",
  csv: "CSV",
  ids: "Order",
  template: "Template",
  variables: "Variables",
  title: "Title",
  kind: "Kind",
  component_status: "Component status",
  url: "Public URL",
  api_url: "API address",
  time_zone: "Time zone",
  logo_url: "Logo",
  favicon_url: "Favicon",
  brand_color: "Brand colour",
  support_url: "Support link",
  team_email: "Team email",
  default_next_update_minutes: "Default next update",
  sender_name: "Sender name",
  sender_address: "Sender address",
  matchers: "Matchers",
  component_ids: "Components",
  source_ids: "Sources",
  statuses: "Status by severity",
  for_seconds: "Keep firing for",
  template_id: "Draft template",
  auto_publish_minutes: "Publish by itself after",
  owner_team: "Team",
  owner_person_id: "Person",
  runbook_url: "Runbook",
  repository_url: "Repository",
  dashboard_url: "Dashboard",
  uptime_target: "Uptime target",
  stage: "Stage",
  reason: "Reason",
  item: "Checklist item",
  label: "Label",
  position: "Position",
};

export function fieldName(path: string): string {
  const [head, ...rest] = path.split(".");
  // A template's variable is named by its own name: "Variable data_loss".
  if (head === "variables" && rest.length > 0) return `Variable ${rest.join(".")}`;
  return FIELD_NAMES[head ?? ""] ?? path;
}

/** A labelled field with its help and its errors, wired for assistive technology. */
export function Field(props: {
  id: string;
  label: string;
  help?: string | undefined;
  errors?: string[] | undefined;
  children: (aria: { id: string; "aria-describedby"?: string; "aria-invalid"?: "true" }) => Child;
}) {
  const errors = props.errors ?? [];
  const described = [props.help ? `${props.id}-help` : "", errors.length ? `${props.id}-error` : ""]
    .filter(Boolean)
    .join(" ");
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.children({
        id: props.id,
        ...(described ? { "aria-describedby": described } : {}),
        ...(errors.length ? { "aria-invalid": "true" as const } : {}),
      })}
      {props.help && (
        <p class="help" id={`${props.id}-help`}>
          {props.help}
        </p>
      )}
      {errors.length > 0 && (
        <p class="error" id={`${props.id}-error`}>
          {errors.join("; ")}
        </p>
      )}
    </div>
  );
}

/** A labelled select of fixed choices, `[value, label]`, with its help and errors. */
export function SelectField(props: {
  id: string;
  label: string;
  name: string;
  chosen: string;
  choices: readonly (readonly [string, string])[];
  help?: string;
  errors: string[];
}) {
  return (
    <Field id={props.id} label={props.label} help={props.help} errors={props.errors}>
      {(aria) => (
        <select {...aria} name={props.name}>
          {props.choices.map(([value, label]) => (
            <option value={value} selected={props.chosen === value}>
              {label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
