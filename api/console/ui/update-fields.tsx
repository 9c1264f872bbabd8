/** @jsxImportSource hono/jsx */

import type { ComponentRow } from "../../../core/model/rows.ts";
import { COMPONENT_STATUSES, IMPACTS } from "../../../core/model/statuses.ts";
import { componentLook, impactLook } from "../../../core/presentation/status.ts";
import { formatMinutes } from "../../../core/presentation/time.ts";
import { orderComponents } from "../../../core/public/statuspage.ts";
import { componentField, NO_PROMISE } from "../incident-form.ts";
import { errorsFor, Field, type FormValues, type Refusal, SelectField } from "./form.tsx";
import { ComponentStatusBadge } from "./status.tsx";

/** A Markdown field with the live preview of exactly what the page will show. */
export function BodyField(props: {
  id: string;
  label: string;
  form: FormValues;
  refusal: Refusal | undefined;
  previewHtml?: string | undefined;
  kind?: "update" | "postmortem";
  help?: string;
  rows?: number;
  value?: string | undefined;
}) {
  const previewId = `${props.id}-preview`;
  return (
    <>
      <Field
        id={props.id}
        label={props.label}
        help={props.help ?? "Markdown: **bold**, _italic_, [links](https://…), lists. Shown exactly as previewed."}
        errors={errorsFor(props.refusal, "body")}
      >
        {(aria) => (
          <textarea
            {...aria}
            name="body"
            rows={props.rows ?? 6}
            data-preview={previewId}
            data-kind={props.kind ?? "update"}
          >
            {props.value ?? props.form.body ?? ""}
          </textarea>
        )}
      </Field>
      <p class="preview-label" id={`${previewId}-label`}>
        Preview
      </p>
      <section class="preview prose" id={previewId} aria-labelledby={`${previewId}-label`} aria-live="polite">
        {props.previewHtml === undefined ? (
          <p class="meta">The preview appears here as you type.</p>
        ) : (
          // Sanitized by core/text/markdown.ts, exactly as stored for the page.
          <div dangerouslySetInnerHTML={{ __html: props.previewHtml }} />
        )}
      </section>
    </>
  );
}

/** One select per component: leave it, or set the status this update gives it. */
export function ComponentFields(props: {
  components: ComponentRow[];
  form: FormValues;
  refusal: Refusal | undefined;
  idPrefix: string;
  legend?: string;
}) {
  const leaves = orderComponents(props.components).filter((c) => !c.isGroup);
  const errors = errorsFor(props.refusal, "components");
  if (leaves.length === 0) return null;
  return (
    <fieldset aria-describedby={errors.length ? `${props.idPrefix}-components-error` : undefined}>
      <legend>{props.legend ?? "Affected components"}</legend>
      {leaves.map((c) => {
        const id = `${props.idPrefix}-c-${c.id}`;
        return (
          <div class="comp-grid">
            <label for={id}>
              {c.name}
              <ComponentStatusBadge status={c.status} />
            </label>
            <select id={id} name={componentField(c.id)}>
              <option value="">No change</option>
              {COMPONENT_STATUSES.map((s) => (
                <option value={s} selected={props.form[componentField(c.id)] === s}>
                  {componentLook(s).label}
                </option>
              ))}
            </select>
          </div>
        );
      })}
      {errors.length > 0 && (
        <p class="error" id={`${props.idPrefix}-components-error`}>
          {errors.join("; ")}
        </p>
      )}
    </fieldset>
  );
}

/** The promise choices: the usual cadences, plus the page's default and whatever the form holds when they are not among them. */
function nextUpdateChoices(extra: (number | null)[]): [string, string][] {
  const minutes = new Set([15, 30, 45, 60, 90, 120, 240]);
  for (const m of extra) if (m !== null && Number.isInteger(m) && m > 0) minutes.add(m);
  return [
    [NO_PROMISE, "No promise"],
    ...[...minutes].sort((a, b) => a - b).map((m): [string, string] => [String(m), formatMinutes(m)]),
  ];
}

/**
 * "Next update in", starting at the page's default cadence (`fallback`, from `schedulerSettings`: what the
 * API would promise if the field were left out), or "No promise" when the page has none.
 */
export function NextUpdateField(props: {
  id: string;
  form: FormValues;
  refusal: Refusal | undefined;
  fallback: number | null;
}) {
  const held = props.form.next_update_in;
  const chosen = held || (props.fallback === null ? NO_PROMISE : String(props.fallback));
  return (
    <SelectField
      id={props.id}
      label="Next update in"
      name="next_update_in"
      chosen={chosen}
      choices={nextUpdateChoices([props.fallback, held && held !== NO_PROMISE ? Number(held) : null])}
      help="Promised on the page as “Next update by …”; the dashboard warns when it passes."
      errors={errorsFor(props.refusal, "next_update_in_minutes")}
    />
  );
}

const IMPACT_CHOICES: [string, string][] = [
  ["", "Computed from components"],
  ...IMPACTS.filter((i) => i !== "maintenance").map((i): [string, string] => [i, impactLook(i).label]),
];

export function ImpactField(props: { id: string; form: FormValues; refusal: Refusal | undefined }) {
  return (
    <SelectField
      id={props.id}
      label="Impact"
      name="impact"
      chosen={props.form.impact ?? ""}
      choices={IMPACT_CHOICES}
      help="Computed from the component statuses unless you choose one."
      errors={errorsFor(props.refusal, "impact")}
    />
  );
}

/** Notify subscribers; the hidden field tells an unticked box from a form without it. */
export function NotifyField(props: { id: string; form: FormValues }) {
  const checked = "notify_shown" in props.form ? props.form.notify === "on" : true;
  return (
    <div class="field">
      <input type="hidden" name="notify_shown" value="1" />
      <label class="check" for={props.id}>
        <input type="checkbox" id={props.id} name="notify" checked={checked} />
        <span>
          Notify subscribers
          <span class="help">By email and webhook, as configured. Untick for a silent correction.</span>
        </span>
      </label>
    </div>
  );
}
