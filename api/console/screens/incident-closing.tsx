import { closingStatus } from "../../../core/presentation/status.ts";
import { errorsFor, Field, PostForm, RefusalSummary } from "../ui/form.tsx";
import { Icon } from "../ui/icons.tsx";
import { Time } from "../ui/time.tsx";
import { BodyField, NotifyField } from "../ui/update-fields.tsx";
import type { IncidentScreenProps } from "./incident-props.ts";
import { previewFor, refusalFor, valuesFor } from "./incident-props.ts";

export function Resolve(props: IncidentScreenProps) {
  const values = valuesFor(props, "resolve");
  const refusal = refusalFor(props, "resolve");
  const closing = closingStatus(props.view.kind);
  return (
    <section class="card" aria-labelledby="resolve-h">
      <div class="card-h">
        <h2 id="resolve-h">{props.view.kind === "incident" ? "Resolve" : "Complete"}</h2>
      </div>
      <div class="card-b">
        <RefusalSummary refusal={refusal} />
        <PostForm action={`/admin/incidents/${props.view.id}/resolve`} csrf={props.session.csrfToken} label="Resolve">
          <input type="hidden" name="status" value={closing} />
          <Field
            id="resolve-body"
            label="Closing message"
            errors={errorsFor(refusal, "body")}
            help="Every affected component returns to operational."
          >
            {(aria) => (
              <textarea {...aria} class="short" name="body" rows={3}>
                {values.body ??
                  (props.view.kind === "incident"
                    ? "This incident has been resolved."
                    : "The scheduled maintenance has been completed.")}
              </textarea>
            )}
          </Field>
          <NotifyField id="resolve-notify" form={values} />
          <button class="btn btn-primary" type="submit">
            <Icon name="check" /> {props.view.kind === "incident" ? "Resolve incident" : "Complete maintenance"}
          </button>
        </PostForm>
      </div>
    </section>
  );
}

export function Postmortem(props: IncidentScreenProps) {
  const values = valuesFor(props, "postmortem");
  const refusal = refusalFor(props, "postmortem");
  const published = props.record.postmortemPublishedAt;
  const canChange = props.session.actor.role !== "viewer";
  return (
    <section class="card" aria-labelledby="pm-h">
      <div class="card-h">
        <h2 id="pm-h">Postmortem</h2>
        <p>{published ? "Published" : props.record.postmortemMd ? "Draft" : "Not written"}</p>
      </div>
      <div class="card-b">
        {published && (
          <p class="meta">
            Published <Time at={published} />
          </p>
        )}
        <RefusalSummary refusal={refusal} />
        {canChange ? (
          <PostForm
            action={`/admin/incidents/${props.view.id}/postmortem`}
            csrf={props.session.csrfToken}
            label="Postmortem"
          >
            <BodyField
              id="pm-body"
              label="Postmortem"
              kind="postmortem"
              form={values}
              refusal={refusal}
              value={values.body ?? props.record.postmortemMd ?? ""}
              previewHtml={previewFor(props, "postmortem")}
              help="What happened, why, and what you change. Markdown."
              rows={8}
            />
            <div class="actions">
              <button class="btn btn-primary" type="submit" name="publish" value="true">
                {published ? "Publish changes" : "Publish postmortem"}
              </button>
              {!published && (
                <button class="btn" type="submit" name="publish" value="false">
                  Save draft
                </button>
              )}
              <button class="btn" type="submit" name="_preview" value="1">
                Preview
              </button>
            </div>
          </PostForm>
        ) : props.record.postmortemHtml ? (
          <div class="prose" dangerouslySetInnerHTML={{ __html: props.record.postmortemHtml }} />
        ) : (
          <p class="meta">No postmortem yet.</p>
        )}
      </div>
    </section>
  );
}
