/** @jsxImportSource hono/jsx */

import { REOPEN_STATUSES } from "../../../core/model/statuses.ts";
import { updateStatusLook } from "../../../core/presentation/status.ts";
import { errorsFor, Field, PostForm, RefusalSummary } from "../ui/form.tsx";
import { ComponentFields, NotifyField } from "../ui/update-fields.tsx";
import type { IncidentScreenProps } from "./incident-props.ts";

/** Reopen a resolved incident: its own audited action, told to subscribers as "[Reopened]". */
export function ReopenCard(props: IncidentScreenProps) {
  const active = props.active?.form === "reopen" ? props.active : undefined;
  const values = active?.values ?? {};
  const refusal = active?.refusal;
  return (
    <section class="card" aria-labelledby="reopen-h">
      <div class="card-h">
        <h2 id="reopen-h">Reopen</h2>
      </div>
      <div class="card-b">
        <RefusalSummary refusal={refusal} />
        <PostForm action={`/admin/incidents/${props.view.id}/reopen`} csrf={props.session.csrfToken} label="Reopen">
          <Field id="reopen-status" label="Status" errors={errorsFor(refusal, "status")}>
            {(aria) => (
              <select {...aria} name="status">
                {REOPEN_STATUSES.map((s) => (
                  <option value={s} selected={(values.status ?? "investigating") === s}>
                    {updateStatusLook(s).label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field
            id="reopen-body"
            label="Why it is reopened"
            errors={errorsFor(refusal, "body")}
            help="Subscribers who were told it was over are told it is back."
          >
            {(aria) => (
              <textarea {...aria} class="short" name="body" rows={3} required>
                {values.body ?? ""}
              </textarea>
            )}
          </Field>
          <ComponentFields
            components={props.components}
            form={values}
            refusal={refusal}
            idPrefix="reopen"
            legend="Components affected again"
          />
          <NotifyField id="reopen-notify" form={values} />
          <button class="btn" type="submit">
            Reopen incident
          </button>
        </PostForm>
      </div>
    </section>
  );
}
