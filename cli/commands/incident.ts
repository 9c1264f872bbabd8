import { getIncidentRoute, openIncidentRoute, reopenIncidentRoute } from "../../api/routes/incidents.ts";
import { postUpdateRoute } from "../../api/routes/scheduled.ts";
import type { AdminIncident } from "../../core/incidents/admin-incident.ts";
import { IMPACTS, INCIDENT_STATUSES, REOPEN_STATUSES } from "../../core/model/statuses.ts";
import type { Api } from "../api-client.ts";
import {
  booleanOption,
  type CliContext,
  type Command,
  type CommandGroup,
  keyValueOption,
  listOption,
  type OptionSpec,
  type Parsed,
  parseMinutes,
  requiredOption,
  requiredPositional,
  stringOption,
  UsageError,
} from "../command.ts";
import { componentStatuses, postComponents } from "../component-names.ts";
import { parseTime } from "../time-option.ts";
import { incidentCommandCommands } from "./escalation.ts";
import { describeIncident, incidentListCommand } from "./incident-views.ts";
import { openingLine, scheduledLine, scheduledUpdateCommands } from "./scheduled-updates.ts";

/** `--template` and its `--var`s, for every command that posts or previews from a template. */
export const TEMPLATE_OPTIONS: Record<string, OptionSpec> = {
  template: {
    type: "string",
    value: "ID",
    description: "write it from this template (see `herald template list`); other options override it",
  },
  var: {
    type: "string",
    multiple: true,
    keyed: true,
    value: "KEY=VALUE",
    description: "a template variable (the value is literal text and may contain =)",
  },
};

/** The options of a posted update, shared by incidents and maintenance. */
export const UPDATE_OPTIONS = {
  ...TEMPLATE_OPTIONS,
  body: { type: "string", value: "TEXT", description: "the update's text (Markdown)" },
  component: {
    type: "string",
    multiple: true,
    value: "NAME=STATUS",
    description: "set a component's status with this update (name or id; with --template NAME alone takes its status)",
  },
  notify: { type: "boolean", description: "notify subscribers (default) or not" },
} satisfies Record<string, OptionSpec>;

const INCIDENT_UPDATE_OPTIONS = {
  status: { type: "string", value: "STATUS", description: `${INCIDENT_STATUSES.join(", ")}` },
  ...UPDATE_OPTIONS,
  "next-update": { type: "string", value: "DURATION", description: "promise the next update within 30m, 2h, …" },
  impact: { type: "string", value: "IMPACT", description: `${IMPACTS.join(", ")}, or auto (computed)` },
} satisfies Record<string, OptionSpec>;

/** API field → the option that sets it, so field errors name what the user typed. */
export const UPDATE_FIELD_OPTIONS: Record<string, string> = {
  template: "--template",
  variables: "--var",
  body: "--body",
  components: "--component",
  deliver_notifications: "--notify",
  next_update_in_minutes: "--next-update",
  status: "--status",
  impact: "--impact",
  name: "--name",
  scheduled_for: "--from",
  scheduled_until: "--until",
  remind_minutes: "--remind",
  publish_at: "--at",
};

/** `--at`: publish later, as a timed update. */
const AT_OPTION: Record<string, OptionSpec> = {
  at: { type: "string", value: "TIME", description: "publish at this time (ISO with zone, or now+30m), not now" },
};

/** `--template ID` and its `--var`s as the API takes them; a `--var` without a template is a usage error. */
export function templateFields(values: Parsed["values"]) {
  const template = stringOption(values, "template");
  const variables = keyValueOption(values, "var");
  if (variables && template === undefined) {
    throw new UsageError("--var fills in a template: give --template ID too (see `herald template list`).");
  }
  return { template, variables };
}

/**
 * The update fields the options give, as the API takes them (`--at` is added by the commands that take it).
 */
export async function updateFields(api: Api, parsed: Parsed, defaultComponentStatus?: string) {
  const { values } = parsed;
  const nextUpdate = stringOption(values, "next-update");
  const impact = stringOption(values, "impact");
  const { template, variables } = templateFields(values);
  return {
    template,
    variables,
    status: stringOption(values, "status"),
    body: stringOption(values, "body"),
    components: await postComponents(
      api,
      listOption(values, "component"),
      template !== undefined,
      defaultComponentStatus,
    ),
    deliver_notifications: booleanOption(values, "notify"),
    next_update_in_minutes: nextUpdate === undefined ? undefined : parseMinutes(nextUpdate, "next-update"),
    impact: impact === undefined ? undefined : impact === "auto" ? null : impact,
  };
}

/** Posts an update to the incident named by the first argument; `status` overrides `--status`. */
async function postUpdateTo(ctx: CliContext, parsed: Parsed, usage: string, status?: string): Promise<number> {
  const id = requiredPositional(parsed, 0, "the incident's id (see `herald incident list`)", usage);
  const api = ctx.api();
  const fields = { ...(await updateFields(api, parsed)), ...(status ? { status } : {}) };
  if (Object.values(fields).every((v) => v === undefined)) {
    throw new UsageError(
      `Say what changed: --template, --status, --body, --component or --next-update. herald ${usage}`,
    );
  }
  const at = stringOption(parsed.values, "at");
  const answer = await api.run(postUpdateRoute, {
    id,
    ...fields,
    ...(at === undefined ? {} : { publish_at: parseTime(at, "at") }),
  });
  if ("incident_id" in answer) ctx.print(answer, scheduledLine);
  else ctx.print(answer, summaryLine);
  return 0;
}

const summaryLine = (incident: AdminIncident) =>
  `${incident.id}  ${incident.status}  ${incident.name}\n${incident.shortlink}`;

const openUsage =
  "incident open (--name NAME | --template ID [--var KEY=VALUE …]) [--status S] [--body TEXT] [--component NAME=STATUS …] [--at TIME] [options]";
const updateUsage =
  "incident update ID [--template ID --var KEY=VALUE …] [--status S] [--body TEXT] [--component NAME=STATUS …] [--at TIME] [options]";
const reopenUsage = `incident reopen ID --status ${REOPEN_STATUSES.join("|")} --body TEXT [--component NAME=STATUS …] [options]`;
const resolveUsage =
  "incident resolve ID [--template ID --var KEY=VALUE …] [--body TEXT] [--component NAME=STATUS …] [--at TIME]";

const commands: Command[] = [
  {
    name: "open",
    usage: openUsage,
    summary: "Open an incident and post its first update.",
    options: {
      name: { type: "string", value: "NAME", description: "the incident's title" },
      ...INCIDENT_UPDATE_OPTIONS,
      at: { type: "string", value: "TIME", description: "open it at this time (ISO with zone, or now+30m), not now" },
    },
    fieldOptions: UPDATE_FIELD_OPTIONS,
    notes: [
      'Example: herald incident open --name "Elevated API errors" --component API=partial_outage --next-update 30m',
      'From a template: herald incident open --template partial-outage --var "who=customers in Europe" --component API',
      'Later: herald incident open --name "Planned failover" --component API=degraded_performance --at now+2h',
      "(kept off the page until then; `herald incident scheduled` lists it, `herald incident unschedule ID` cancels it)",
      "(the template's title becomes the name; its status, text, impact and next update apply unless given)",
    ].join("\n"),
    async run(ctx, parsed) {
      const name =
        stringOption(parsed.values, "template") === undefined
          ? requiredOption(parsed.values, "name", openUsage)
          : stringOption(parsed.values, "name");
      const api = ctx.api();
      const at = stringOption(parsed.values, "at");
      const answer = await api.run(openIncidentRoute, {
        name,
        ...(await updateFields(api, parsed)),
        ...(at === undefined ? {} : { publish_at: parseTime(at, "at") }),
      });
      if ("publish_at" in answer) ctx.print(answer, openingLine);
      else ctx.print(answer, summaryLine);
      return 0;
    },
  },
  {
    name: "update",
    usage: updateUsage,
    summary: "Post an update to an incident.",
    options: { ...INCIDENT_UPDATE_OPTIONS, ...AT_OPTION },
    fieldOptions: UPDATE_FIELD_OPTIONS,
    run: (ctx, parsed) => postUpdateTo(ctx, parsed, updateUsage),
  },
  {
    name: "resolve",
    usage: resolveUsage,
    summary: "Resolve an incident (posts a resolved update).",
    options: { ...UPDATE_OPTIONS, ...AT_OPTION },
    fieldOptions: UPDATE_FIELD_OPTIONS,
    run: (ctx, parsed) => postUpdateTo(ctx, parsed, resolveUsage, "resolved"),
  },
  {
    name: "reopen",
    usage: reopenUsage,
    summary: "Reopen a resolved incident (an update to a resolved one is refused: reopen it instead).",
    options: {
      status: { type: "string", value: "STATUS", description: REOPEN_STATUSES.join(", ") },
      body: { type: "string", value: "TEXT", description: "why it is reopened (Markdown)" },
      component: UPDATE_OPTIONS.component,
      notify: UPDATE_OPTIONS.notify,
      "next-update": INCIDENT_UPDATE_OPTIONS["next-update"],
    },
    fieldOptions: UPDATE_FIELD_OPTIONS,
    notes:
      'Example: herald incident reopen abc123def456 --status investigating --body "The errors are back." --component API=partial_outage',
    async run(ctx, parsed) {
      const id = requiredPositional(parsed, 0, "the incident's id (see `herald incident list`)", reopenUsage);
      const api = ctx.api();
      const nextUpdate = stringOption(parsed.values, "next-update");
      const reopened = await api.run(reopenIncidentRoute, {
        id,
        status: requiredOption(parsed.values, "status", reopenUsage),
        body: requiredOption(parsed.values, "body", reopenUsage),
        components: await componentStatuses(api, listOption(parsed.values, "component")),
        deliver_notifications: booleanOption(parsed.values, "notify"),
        next_update_in_minutes: nextUpdate === undefined ? undefined : parseMinutes(nextUpdate, "next-update"),
      });
      ctx.print(reopened, summaryLine);
      return 0;
    },
  },
  {
    name: "show",
    usage: "incident show ID",
    summary: "Show an incident or maintenance with its timeline.",
    async run(ctx, parsed) {
      const id = requiredPositional(parsed, 0, "the incident's id", "incident show ID");
      ctx.print(await ctx.api().run(getIncidentRoute, { id }), describeIncident);
      return 0;
    },
  },
  incidentListCommand("incident", "incident list [--open] [--limit N]", "List incidents, newest first.", {
    option: "open",
    description: "only unresolved ones",
    openOnly: (flag) => flag,
  }),
  ...scheduledUpdateCommands,
  ...incidentCommandCommands,
];

export const incidentGroup: CommandGroup = {
  name: "incident",
  summary:
    "Incidents: open, update (now or --at a time), resolve, reopen, show, list, scheduled, unschedule, backfill, commander, acknowledge.",
  commands,
};
