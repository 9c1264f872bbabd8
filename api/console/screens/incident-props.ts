/** What the incident screen shows, apart from the screen itself so its cards can name it without a cycle. */
import type { ConsoleSession } from "../../../core/console/sessions.ts";
import type { IncidentCommandView } from "../../../core/escalation/incident-command.ts";
import type { ScheduledUpdateView } from "../../../core/incidents/scheduled-updates.ts";
import type { ComponentRow, IncidentRecord, PageRow } from "../../../core/model/rows.ts";
import type { IncidentDeliveries } from "../../../core/notifications/incident-deliveries.ts";
import type { IncidentView } from "../../../core/public/site-views.ts";
import type { FormValues, Refusal } from "../ui/form.tsx";
import type { MailPreview } from "../ui/mail-preview.tsx";
import type { TemplateChoice } from "../ui/template-picker.tsx";
import type { ScheduleFormName } from "./scheduled-updates.tsx";

/** Which form a refusal or a no-JavaScript preview belongs to. */
export type IncidentFormName =
  | "update"
  | "resolve"
  | "reopen"
  | "postmortem"
  | "command"
  | "acknowledge"
  | `edit:${string}`
  | ScheduleFormName;

export type IncidentScreenProps = {
  session: ConsoleSession;
  page: PageRow;
  record: IncidentRecord;
  view: IncidentView;
  components: ComponentRow[];
  deliveries: IncidentDeliveries;
  scheduled: ScheduledUpdateView[];
  now: Date;
  done?: string | undefined;
  active?: {
    form: IncidentFormName;
    values: FormValues;
    refusal?: Refusal | undefined;
    previewHtml?: string | undefined;
    mailPreview?: MailPreview | undefined;
  };
  /** The templates the update form may start from (of this incident's kind). */
  templates: TemplateChoice;
  /** The Incident Commander, the running escalation and who may take over (core/escalation/incident-command.ts). */
  command: IncidentCommandView;
  /** What an update promises when it names no next update (`defaultCadenceFor` this incident's kind). */
  defaultCadence: number | null;
};

/** The values, refusal and no-JavaScript preview of one of the screen's forms, when it is the one posted. */
export function valuesFor(props: IncidentScreenProps, form: IncidentFormName): FormValues {
  return props.active?.form === form ? props.active.values : {};
}
export function refusalFor(props: IncidentScreenProps, form: IncidentFormName): Refusal | undefined {
  return props.active?.form === form ? props.active.refusal : undefined;
}
export function previewFor(props: IncidentScreenProps, form: IncidentFormName): string | undefined {
  return props.active?.form === form ? props.active.previewHtml : undefined;
}
