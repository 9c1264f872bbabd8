/** @jsxImportSource hono/jsx */
import type { ConsoleSession } from "../../../core/console/sessions.ts";
import type { PageSettings } from "../../../core/page/page-settings.ts";
import { Card } from "../ui/card.tsx";
import { errorsFor, Field, type FormValues, PostForm, type Refusal, RefusalSummary } from "../ui/form.tsx";
import { Layout, Notice, PageHead } from "../ui/layout.tsx";

type SettingsField = {
  name: keyof FormValues & string;
  label: string;
  help: string;
  /** `weekday`: a choice of Monday … Sunday or off; `switch`: a checkbox (unticked: off). */
  type?: "text" | "email" | "number" | "weekday" | "switch";
  required?: boolean;
  min?: number;
  max?: number;
};

const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/** A setting's control: the field's own kind of input, its value as the form holds it. */
function SettingInput(props: {
  field: SettingsField;
  value: string;
  aria: { id: string; "aria-describedby"?: string; "aria-invalid"?: "true" };
}) {
  const { field: f, value, aria } = props;
  if (f.type === "weekday")
    return (
      <select {...aria} name={f.name}>
        <option value="" selected={value === ""}>
          Off
        </option>
        {WEEKDAYS.map((day, i) => (
          <option value={String(i + 1)} selected={value === String(i + 1)}>
            {day}
          </option>
        ))}
      </select>
    );
  if (f.type === "switch")
    return <input {...aria} type="checkbox" name={f.name} value="true" checked={value === "true"} />;
  const min = f.min ?? (f.type === "number" ? 1 : undefined);
  return (
    <input
      {...aria}
      type={f.type ?? "text"}
      name={f.name}
      value={value}
      required={f.required}
      min={min === undefined ? undefined : String(min)}
      max={f.max === undefined ? undefined : String(f.max)}
    />
  );
}

/** How a setting reads on the viewer's screen. */
function readValue(field: SettingsField, value: string | undefined) {
  if (field.type === "weekday" && value) return WEEKDAYS[Number(value) - 1] ?? value;
  if (field.type === "switch") return value === "true" ? "On" : "Off";
  return shownValue(value);
}

const GROUPS: { id: string; title: string; fields: SettingsField[] }[] = [
  {
    id: "identity",
    title: "The page",
    fields: [
      { name: "name", label: "Name", help: "Shown on every page and in every mail.", required: true },
      {
        name: "url",
        label: "Public URL",
        help: "The page's address, used in mail, feeds and links. PUBLIC_URL, when set, wins at start.",
        required: true,
      },
      {
        name: "api_url",
        label: "API address",
        help: "Where the API answers when it is not the page's address (a Worker): subscriber links and the subscribe form point there. Empty: the page's. PUBLIC_API_URL, when set, wins at start.",
      },
      {
        name: "time_zone",
        label: "Time zone",
        help: "IANA name such as Europe/Berlin: times on the page without JavaScript, and in templates.",
        required: true,
      },
      {
        name: "support_url",
        label: "Support link",
        help: "Where readers get help (https:// or mailto:), linked in the footer. Empty: no link.",
      },
    ],
  },
  {
    id: "brand",
    title: "Brand",
    fields: [
      {
        name: "brand_color",
        label: "Brand colour",
        help: "A hex colour like #0b57d0 for links and buttons; it must read on white (4.5:1). Empty: Herald's blue.",
      },
      {
        name: "logo_url",
        label: "Logo",
        help: "An https:// image URL or a small data:image/…;base64 URL. Empty: none.",
      },
      { name: "favicon_url", label: "Favicon", help: "Likewise. Empty: Herald's." },
    ],
  },
  {
    id: "updates",
    title: "Updates and mail",
    fields: [
      {
        name: "default_next_update_minutes",
        label: "Default next update (minutes)",
        help: "The cadence the team promises by default. Empty: none.",
        type: "number",
      },
      {
        name: "team_email",
        label: "Team email",
        help: "Reminders when a promised update is overdue go here. Empty: none.",
        type: "email",
      },
      {
        name: "sender_name",
        label: "Sender name",
        help: "The From: name of notification mail. Empty: the page's name.",
      },
      {
        name: "sender_address",
        label: "Sender address",
        help: "The From: address of notification mail. Empty: the server's MAIL_FROM.",
        type: "email",
      },
    ],
  },
  {
    id: "record",
    title: "Review and public record",
    fields: [
      {
        name: "review_weekday",
        label: "Weekly review day",
        help: "The team gets last week's review by mail on this day (page time zone). Off: no weekly mail.",
        type: "weekday",
      },
      {
        name: "review_hour",
        label: "Weekly review hour",
        help: "0–23 in the page's time zone; set with the day, emptied with it.",
        type: "number",
        min: 0,
        max: 23,
      },
      {
        name: "public_reliability",
        label: "Public reliability page",
        help: "Publishes /reliability/: uptime and incident counts per component for 30, 90 and 365 days, linked from the footer.",
        type: "switch",
      },
      {
        name: "sunset_reminder_days",
        label: "Sunset reminder (days)",
        help: "Subscribers of a deprecated component are reminded this many days before its sunset.",
        type: "number",
        max: 365,
        required: true,
      },
    ],
  },
];

/** Every setting as the form shows it: an unset one is an empty field. */
export function settingsFormValues(settings: PageSettings): FormValues {
  const values: FormValues = {};
  for (const field of GROUPS.flatMap((g) => g.fields)) {
    const value = settings[field.name as keyof PageSettings];
    values[field.name] = value === null || value === undefined ? "" : String(value);
  }
  return values;
}

export const SETTINGS_FIELD_NAMES = GROUPS.flatMap((g) => g.fields.map((f) => f.name));

/** A setting as read: an embedded image is named, not printed as its thousands of base64 characters. */
function shownValue(value: string | undefined) {
  if (!value) return <span class="meta">Not set</span>;
  const embedded = /^data:([^;,]+)/.exec(value);
  return embedded ? `An embedded ${embedded[1]} image (${Math.ceil(value.length / 1024)} KB)` : value;
}

function DarkBrandNote(props: { settings: PageSettings }) {
  if (!props.settings.brand_color) return null;
  return (
    <p class="meta">{`In the dark scheme the page shows ${props.settings.brand_color_dark} (lightened until it reads).`}</p>
  );
}

export function PageSettingsScreen(props: {
  session: ConsoleSession;
  pageName: string;
  settings: PageSettings;
  form: FormValues;
  refusal?: Refusal | undefined;
  done?: string | undefined;
}) {
  const { form, refusal } = props;
  const canChange = props.session.actor.role === "admin";
  return (
    <Layout title="Page settings" section="settings" session={props.session} pageName={props.pageName}>
      <PageHead
        title="Page settings"
        lead={
          canChange
            ? "A change re-renders the whole public site, switched over at once."
            : "Only an admin token can change these; you can read them."
        }
      />
      <Notice done={props.done} />
      <RefusalSummary refusal={refusal} />
      {canChange ? (
        <PostForm action="/admin/settings" csrf={props.session.csrfToken} label="Page settings">
          <div class="grid">
            {GROUPS.map((group) => (
              <Card id={`settings-${group.id}`} title={group.title} padded>
                <div class="field-row wide">
                  {group.fields.map((f) => (
                    <Field id={`s-${f.name}`} label={f.label} help={f.help} errors={errorsFor(refusal, f.name)}>
                      {(aria) => <SettingInput field={f} value={form[f.name] ?? ""} aria={aria} />}
                    </Field>
                  ))}
                </div>
                {group.id === "brand" && <DarkBrandNote settings={props.settings} />}
              </Card>
            ))}
          </div>
          <div class="actions gap-top">
            <button class="btn btn-primary" type="submit">
              Save settings
            </button>
          </div>
        </PostForm>
      ) : (
        <div class="grid">
          {GROUPS.map((group) => (
            <Card id={`settings-${group.id}`} title={group.title} padded>
              <dl class="kv">
                {group.fields.map((f) => (
                  <>
                    <dt>{f.label}</dt>
                    <dd>{readValue(f, form[f.name])}</dd>
                  </>
                ))}
              </dl>
              {group.id === "brand" && <DarkBrandNote settings={props.settings} />}
            </Card>
          ))}
        </div>
      )}
    </Layout>
  );
}
