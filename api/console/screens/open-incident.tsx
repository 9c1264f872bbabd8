/** @jsxImportSource hono/jsx */

import { INCIDENT_STATUSES } from "../../../core/model/statuses.ts";
import { updateStatusLook } from "../../../core/presentation/status.ts";
import { Card } from "../ui/card.tsx";
import { errorsFor, Field } from "../ui/form.tsx";
import { ComponentHint, TemplatePreviewPane, TemplateVariables } from "../ui/template-picker.tsx";
import { BodyField, ComponentFields, ImpactField, NextUpdateField, NotifyField } from "../ui/update-fields.tsx";
import { type OpenScreenProps, OpenShell, PublishButtons } from "./open-shell.tsx";
import { PublishWhenField } from "./scheduled-updates.tsx";

export type { OpenScreenProps } from "./open-shell.tsx";

/** Open an incident: everything the first post needs on one screen, published with one button. */
export function OpenIncidentScreen(props: OpenScreenProps) {
  const { form, refusal } = props;
  const status = form.status ?? "investigating";
  const template = props.templates.chosen;
  return (
    <OpenShell
      title="Open incident"
      section="incidents"
      crumbs={<a href="/admin/incidents">Incidents</a>}
      lead="Published on the status page when you press Publish: now, or at the time you choose."
      action="/admin/incidents/new"
      mainTitle="What is happening"
      screen={props}
      main={
        <>
          <Field
            id="name"
            label="Name"
            help={
              template
                ? `Leave empty to use the template's: “${template.title}”.`
                : "The headline readers see, e.g. “Elevated API error rates”."
            }
            errors={errorsFor(refusal, "name")}
          >
            {(aria) => (
              <input
                {...aria}
                type="text"
                name="name"
                value={form.name ?? ""}
                required={!template}
                autofocus={!template}
              />
            )}
          </Field>
          <Field id="status" label="Status" errors={errorsFor(refusal, "status")}>
            {(aria) => (
              <select {...aria} name="status">
                {INCIDENT_STATUSES.filter((s) => s !== "resolved" && s !== "postmortem").map((s) => (
                  <option value={s} selected={status === s}>
                    {updateStatusLook(s).label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {template ? (
            <>
              <TemplateVariables template={template} form={form} refusal={refusal} idPrefix="open" />
              <TemplatePreviewPane id="open-preview" choice={props.templates} />
            </>
          ) : (
            <BodyField id="body" label="Message" form={form} refusal={refusal} previewHtml={props.previewHtml} />
          )}
        </>
      }
      side={
        <>
          <Card id="impact" title="Impact" padded>
            <ComponentHint template={template} />
            <ComponentFields components={props.components} form={form} refusal={refusal} idPrefix="open" />
            <ImpactField id="impact" form={form} refusal={refusal} />
          </Card>
          <Card id="publish" title="Publish" padded>
            <NextUpdateField id="next-update" form={form} refusal={refusal} fallback={props.defaultCadence} />
            <NotifyField id="notify" form={form} />
            <PublishWhenField id="open-when" form={form} refusal={refusal} />
            <PublishButtons label="Publish incident" />
          </Card>
        </>
      }
    />
  );
}
