/** @jsxImportSource hono/jsx */
import { Card } from "../ui/card.tsx";
import { errorsFor, Field, SelectField } from "../ui/form.tsx";
import { ComponentHint, TemplatePreviewPane, TemplateVariables } from "../ui/template-picker.tsx";
import { BodyField, ComponentFields, NotifyField } from "../ui/update-fields.tsx";
import { type OpenScreenProps, OpenShell, PublishButtons } from "./open-shell.tsx";
import { AutoFields } from "./scheduled-updates.tsx";

const REMINDERS = [
  ["0", "No reminder"],
  ["30", "30 minutes before"],
  ["60", "1 hour before"],
  ["180", "3 hours before"],
  ["1440", "1 day before"],
] as const;

/** A start or end time, typed in UTC (the console reads it back as UTC). */
function TimeField(props: {
  id: string;
  label: string;
  name: "scheduled_for" | "scheduled_until";
  screen: OpenScreenProps;
}) {
  return (
    <Field id={props.id} label={props.label} errors={errorsFor(props.screen.refusal, props.name)}>
      {(aria) => (
        <input {...aria} type="datetime-local" name={props.name} value={props.screen.form[props.name] ?? ""} required />
      )}
    </Field>
  );
}

/** Schedule a maintenance: when, what is affected, and whether subscribers hear about it. */
export function ScheduleMaintenanceScreen(props: OpenScreenProps) {
  const { form, refusal } = props;
  const remind = form.remind_minutes ?? "60";
  const template = props.templates.chosen;
  return (
    <OpenShell
      title="Schedule maintenance"
      section="maintenance"
      crumbs={<a href="/admin/maintenance">Maintenance</a>}
      lead="Shown on the status page and in the maintenance calendar as soon as you schedule it."
      action="/admin/maintenance/new"
      mainTitle="What and when"
      screen={props}
      main={
        <>
          <Field
            id="name"
            label="Name"
            help={template ? `Leave empty to use the template's: “${template.title}”.` : undefined}
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
          <div class="field-row">
            <TimeField id="starts" label="Starts (UTC)" name="scheduled_for" screen={props} />
            <TimeField id="ends" label="Ends (UTC)" name="scheduled_until" screen={props} />
          </div>
          {template ? (
            <>
              <TemplateVariables template={template} form={form} refusal={refusal} idPrefix="maint" />
              <TemplatePreviewPane id="maint-preview" choice={props.templates} />
            </>
          ) : (
            <BodyField id="body" label="Message" form={form} refusal={refusal} previewHtml={props.previewHtml} />
          )}
        </>
      }
      side={
        <>
          <Card id="affects" title="Components" padded>
            <ComponentHint template={template} />
            <ComponentFields components={props.components} form={form} refusal={refusal} idPrefix="maint" />
          </Card>
          <Card id="publish" title="Notify" padded>
            <SelectField
              id="remind"
              label="Remind subscribers"
              name="remind_minutes"
              chosen={remind}
              choices={REMINDERS}
              errors={errorsFor(refusal, "remind_minutes")}
            />
            <NotifyField id="notify" form={form} />
            <AutoFields form={form} />
            <PublishButtons label="Schedule maintenance" />
          </Card>
        </>
      }
    />
  );
}
