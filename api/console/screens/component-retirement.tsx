/** @jsxImportSource hono/jsx */
import type { ConsoleSession } from "../../../core/console/sessions.ts";
import type { ComponentRow } from "../../../core/model/rows.ts";
import { errorsFor, Field, type FormValues, PostForm, type Refusal, RefusalSummary } from "../ui/form.tsx";
import { Time, toLocalInput } from "../ui/time.tsx";

/** The refusal and values of a retirement form posted for this component, if any. */
export type RetirementActive = { form: string; values: FormValues; refusal: Refusal } | undefined;

/** A retiring component's line in the list: its stage and date in words. */
export function RetirementLine(props: { component: ComponentRow }) {
  const c = props.component;
  if (c.stage === "sunset") {
    return (
      <div class="meta">
        <span class="pill">Sunset</span> left the page {c.sunsetAt && <Time at={c.sunsetAt} />}; its history stays
      </div>
    );
  }
  if (c.stage !== "deprecated" || !c.sunsetAt) return null;
  return (
    <div class="meta">
      <span class="pill">Deprecated</span> leaves the page <Time at={c.sunsetAt} />
    </div>
  );
}

/**
 * Deprecate a component (a sunset date and a message, both required), or take it back, or sunset it now
 * (docs/inventory.md, Sunsetting). Groups are never deprecated: their components are, one by one.
 */
export function RetirementForms(props: { component: ComponentRow; session: ConsoleSession; active: RetirementActive }) {
  const { component: c, session } = props;
  if (c.isGroup || c.stage === "sunset") return null;
  const mine = props.active?.form === `retire-${c.id}` ? props.active : undefined;
  const values = mine?.values ?? {};
  const refusal = mine?.refusal;
  if (c.stage === "deprecated") {
    return (
      <details open={mine !== undefined}>
        <summary>Deprecation</summary>
        <RefusalSummary refusal={refusal} />
        <p class="meta">
          Subscribers who named {c.name} were told; it leaves the page {c.sunsetAt && <Time at={c.sunsetAt} />}.
        </p>
        <div class="actions">
          <PostForm
            action={`/admin/components/${c.id}/undeprecate`}
            csrf={session.csrfToken}
            label={`Undeprecate ${c.name}`}
          >
            <button class="btn" type="submit">
              Undeprecate (back to production, nobody is mailed)
            </button>
          </PostForm>
          <PostForm
            action={`/admin/components/${c.id}/sunset`}
            csrf={session.csrfToken}
            confirm={`Sunset ${c.name} now? It leaves the page and its subscribers are told; its history stays.`}
            ask="Sunset now…"
            label={`Sunset ${c.name}`}
          >
            <button class="btn btn-danger btn-small" type="submit">
              Yes, sunset it now
            </button>
          </PostForm>
        </div>
      </details>
    );
  }
  return (
    <details open={mine !== undefined}>
      <summary>Deprecate…</summary>
      <RefusalSummary refusal={refusal} />
      <PostForm action={`/admin/components/${c.id}/deprecate`} csrf={session.csrfToken} label={`Deprecate ${c.name}`}>
        <Field id={`sunset-${c.id}`} label="Sunset date (UTC)" errors={errorsFor(refusal, "sunset_at")}>
          {(aria) => (
            <input
              {...aria}
              type="datetime-local"
              name="sunset_at"
              value={values.sunset_at ?? (c.sunsetAt ? toLocalInput(c.sunsetAt) : "")}
              required
            />
          )}
        </Field>
        <Field
          id={`message-${c.id}`}
          label="Message (what users should do instead; Markdown)"
          errors={errorsFor(refusal, "message")}
        >
          {(aria) => (
            <textarea {...aria} name="message" rows={3} required>
              {values.message ?? ""}
            </textarea>
          )}
        </Field>
        <p class="meta">
          The page shows a notice on {c.name} until the date, subscribers who named it are told now and reminded before
          it; then it leaves the page.
        </p>
        <button class="btn btn-primary" type="submit">
          Deprecate
        </button>
      </PostForm>
    </details>
  );
}
