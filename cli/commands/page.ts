import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { getPageSettingsRoute, updatePageSettingsRoute } from "../../api/routes/page.ts";
import type { InputOf } from "../../core/actions/define.ts";
import type { PageSettings } from "../../core/page/page-settings.ts";
import type { updatePageSettings } from "../../core/page/update-page-settings.ts";
import { type CommandGroup, type OptionSpec, parseMinutes, stringOption, table, UsageError } from "../command.ts";

const IMAGE_TYPES: Record<string, string> = {
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".svg": "image/svg+xml",
  ".ico": "image/x-icon",
};

/** A URL as given, or a local image file inlined as a data: URL. */
async function imageValue(value: string, option: string): Promise<string> {
  if (/^(https?|data):/i.test(value) || !existsSync(value)) return value;
  const type = IMAGE_TYPES[extname(value).toLowerCase()];
  if (!type) throw new UsageError(`--${option}: ${value} is not a PNG, JPEG, GIF, WebP, SVG or ICO file.`);
  return `data:${type};base64,${(await readFile(value)).toString("base64")}`;
}

type PageInput = InputOf<typeof updatePageSettings>;

type Setting = {
  field: keyof PageInput & keyof PageSettings;
  option: string;
  value: string;
  description: string;
  nullable: boolean;
};

const SETTINGS: Setting[] = [
  { field: "name", option: "name", value: "NAME", description: "the page's name", nullable: false },
  { field: "url", option: "public-url", value: "URL", description: "the page's public address", nullable: false },
  {
    field: "time_zone",
    option: "time-zone",
    value: "ZONE",
    description: "IANA zone, e.g. Europe/Berlin",
    nullable: false,
  },
  {
    field: "logo_url",
    option: "logo",
    value: "URL|FILE",
    description: "logo: image URL or a local image file",
    nullable: true,
  },
  {
    field: "favicon_url",
    option: "favicon",
    value: "URL|FILE",
    description: "favicon: image URL or local file",
    nullable: true,
  },
  {
    field: "brand_color",
    option: "brand-color",
    value: "#RRGGBB",
    description: "links and buttons (4.5:1 on white)",
    nullable: true,
  },
  {
    field: "api_url",
    option: "api-url",
    value: "URL",
    description: "the API's address when not the page's (a Worker)",
    nullable: true,
  },
  {
    field: "support_url",
    option: "support-url",
    value: "URL",
    description: "support link (http(s) or mailto:)",
    nullable: true,
  },
  {
    field: "team_email",
    option: "team-email",
    value: "EMAIL",
    description: "where overdue-update reminders go",
    nullable: true,
  },
  {
    field: "default_next_update_minutes",
    option: "default-next-update",
    value: "DURATION",
    description: "default update cadence: 30m, 1h",
    nullable: true,
  },
  { field: "sender_name", option: "sender-name", value: "NAME", description: "mail From: name", nullable: true },
  {
    field: "sender_address",
    option: "sender-address",
    value: "EMAIL",
    description: "mail From: address",
    nullable: true,
  },
  {
    field: "review_weekday",
    option: "review-day",
    value: "DAY",
    description: "weekly review mail day: mon … sun (none: off)",
    nullable: true,
  },
  {
    field: "review_hour",
    option: "review-hour",
    value: "HOUR",
    description: "weekly review mail hour, 0–23 page time",
    nullable: true,
  },
  {
    field: "public_reliability",
    option: "reliability-page",
    value: "on|off",
    description: "public /reliability/ page",
    nullable: false,
  },
  {
    field: "sunset_reminder_days",
    option: "sunset-reminder-days",
    value: "DAYS",
    description: "remind subscribers this many days before a sunset",
    nullable: false,
  },
];

const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/** An ISO weekday from "mon", "Monday" or "1". */
function weekdayValue(raw: string, option: string): number {
  const text = raw.trim().toLowerCase();
  const byName = WEEKDAYS.indexOf(text.slice(0, 3)) + 1;
  if (byName > 0 && /^[a-z]+$/.test(text)) return byName;
  if (/^[1-7]$/.test(text)) return Number(text);
  throw new UsageError(`--${option}: "${raw}" is not a day of the week (mon … sun, or 1 … 7 from Monday).`);
}

function wholeNumber(raw: string, option: string): number {
  if (!/^\d{1,4}$/.test(raw.trim())) throw new UsageError(`--${option}: "${raw}" is not a whole number.`);
  return Number(raw.trim());
}

function switchValue(raw: string, option: string): boolean {
  const text = raw.trim().toLowerCase();
  if (["on", "yes", "true"].includes(text)) return true;
  if (["off", "no", "false"].includes(text)) return false;
  throw new UsageError(`--${option}: say on or off, not "${raw}".`);
}

async function settingValue(setting: Setting, raw: string): Promise<string | number | boolean | null> {
  if (setting.nullable && (raw === "" || raw.toLowerCase() === "none")) return null;
  if (setting.field === "review_weekday") return weekdayValue(raw, setting.option);
  if (setting.field === "review_hour" || setting.field === "sunset_reminder_days")
    return wholeNumber(raw, setting.option);
  if (setting.field === "public_reliability") return switchValue(raw, setting.option);
  if (setting.field === "default_next_update_minutes") return parseMinutes(raw, setting.option);
  if (setting.field === "logo_url" || setting.field === "favicon_url") return imageValue(raw, setting.option);
  return raw;
}

function settingsText(settings: PageSettings): string {
  const shown = (value: unknown) =>
    value === null
      ? "(not set)"
      : typeof value === "string" && value.length > 80
        ? `${value.slice(0, 60)}…`
        : String(value);
  return table([
    ...SETTINGS.map((s) => [s.field, shown(settings[s.field])]),
    ["brand_color_dark", shown(settings.brand_color_dark)],
    ["updated_at", settings.updated_at],
  ]);
}

const setUsage = "page set [--name NAME] [--public-url URL] [--time-zone ZONE] [--brand-color #RRGGBB] [options]";

export const pageGroup: CommandGroup = {
  name: "page",
  summary: "Page settings: name, address, time zone, branding, support link, mail sender.",
  commands: [
    {
      name: "show",
      usage: "page show",
      summary: "Show the page settings.",
      async run(ctx) {
        ctx.print(await ctx.api().run(getPageSettingsRoute, {}), settingsText);
        return 0;
      },
    },
    {
      name: "set",
      usage: setUsage,
      summary: "Change page settings (admin token); the whole site is re-rendered.",
      options: Object.fromEntries(
        SETTINGS.map((s): [string, OptionSpec] => [
          s.option,
          { type: "string", value: s.value, description: s.description },
        ]),
      ),
      fieldOptions: Object.fromEntries(SETTINGS.map((s) => [s.field, `--${s.option}`])),
      notes:
        'An empty value or "none" clears an optional setting (--logo "").\n' +
        "--public-url is the page's address (--url is Herald's API address, as for every command).\n" +
        "--review-day and --review-hour go together (page time zone); --review-day none --review-hour none turns the weekly mail off.\n" +
        'Example: herald page set --name "Acme Status" --time-zone Europe/Berlin --brand-color "#0b57d0"\n' +
        "Example: herald page set --review-day mon --review-hour 9 --reliability-page on",
      async run(ctx, { values }) {
        const input: PageInput = {};
        for (const setting of SETTINGS) {
          const raw = stringOption(values, setting.option);
          if (raw !== undefined) Object.assign(input, { [setting.field]: await settingValue(setting, raw) });
        }
        if (Object.keys(input).length === 0) throw new UsageError(`Give at least one setting: herald ${setUsage}`);
        ctx.print(await ctx.api().run(updatePageSettingsRoute, input), settingsText);
        return 0;
      },
    },
  ],
};
