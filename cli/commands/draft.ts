import { discardDraftRoute, getDraftRoute, listDraftsRoute, publishDraftRoute } from "../../api/routes/alert-drafts.ts";
import type { DraftView } from "../../core/alerts/drafts/schemas.ts";
import {
  booleanOption,
  type Command,
  type CommandGroup,
  listOption,
  requiredPositional,
  stringOption,
  table,
} from "../command.ts";
import { componentStatuses, loadComponents } from "../component-names.ts";
import { describeIncident } from "./incident-views.ts";

function draftRows(drafts: DraftView[]): string {
  if (drafts.length === 0) return "None.";
  return table([
    ["ID", "STATE", "CREATED", "ALERTS", "NAME"],
    ...drafts.map((d) => [d.id, d.state, d.created_at.slice(0, 16).replace("T", " "), String(d.alerts.length), d.name]),
  ]);
}

function describeDraft(draft: DraftView, names: Map<string, string>): string {
  const lines = [
    `${draft.name}  (draft ${draft.id}, ${draft.state})`,
    table([
      ["  status", draft.status],
      ["  rule", draft.rule_name ?? "-"],
      ["  created", draft.created_at],
      ...(draft.auto_publish_at ? [["  publishes by itself at", draft.auto_publish_at]] : []),
      ...(draft.decided_at ? [[`  ${draft.state}`, `${draft.decided_at} by ${draft.decided_by ?? "?"}`]] : []),
      ...(draft.incident_id ? [["  incident", draft.incident_id]] : []),
    ]),
  ];
  const components = Object.entries(draft.components);
  if (components.length > 0) {
    lines.push("", "Components:", table(components.map(([id, status]) => [`  ${status}`, names.get(id) ?? id])));
  }
  lines.push("", "Alerts:");
  for (const alert of draft.alerts) {
    const labels = Object.entries(alert.labels).map(([k, v]) => `${k}=${v}`);
    lines.push(
      `  ${alert.status}  ${alert.summary || alert.fingerprint}${alert.severity ? ` (${alert.severity})` : ""}`,
    );
    lines.push(`    ${alert.since ? `since ${alert.since}  ` : ""}${labels.join(", ")}`);
  }
  if (draft.alerts.length === 0) lines.push("  None.");
  lines.push("", "Text:", ...draft.body.split("\n").map((line) => (line ? `  ${line}` : "")));
  return lines.join("\n");
}

const showUsage = "draft show ID";
const publishUsage = "draft publish ID [--name NAME] [--body TEXT] [--status STATUS] [--component NAME=STATUS …]";
const discardUsage = "draft discard ID";
const ID_HINT = "the draft's id (see `herald draft list`)";

const commands: Command[] = [
  {
    name: "list",
    usage: "draft list [--state waiting|published|discarded]",
    summary: "List draft incidents from alerts, waiting ones first.",
    options: { state: { type: "string", value: "STATE", description: "waiting, published or discarded" } },
    fieldOptions: { state: "--state" },
    async run(ctx, parsed) {
      ctx.print(await ctx.api().run(listDraftsRoute, { state: stringOption(parsed.values, "state") }), draftRows);
      return 0;
    },
  },
  {
    name: "show",
    usage: showUsage,
    summary: "Show a draft: the incident it would open, its components and the alerts beside it.",
    async run(ctx, parsed) {
      const id = requiredPositional(parsed, 0, ID_HINT, showUsage);
      const api = ctx.api();
      const [draft, all] = await Promise.all([api.run(getDraftRoute, { id }), ctx.json ? [] : loadComponents(api)]);
      const names = new Map(all.map((c) => [c.id, c.name]));
      ctx.print(draft, (d) => describeDraft(d, names));
      return 0;
    },
  },
  {
    name: "publish",
    usage: publishUsage,
    summary: "Publish a waiting draft as an incident (subscribers are told, as when opening one).",
    options: {
      name: { type: "string", value: "NAME", description: "the incident's title (default: the drafted one)" },
      body: {
        type: "string",
        value: "TEXT",
        description: "the first update's text, Markdown (default: the drafted one)",
      },
      status: { type: "string", value: "STATUS", description: "investigating, identified or monitoring" },
      component: {
        type: "string",
        multiple: true,
        value: "NAME=STATUS",
        description: "the components it sets (replaces the drafted ones; name or id)",
      },
      notify: { type: "boolean", description: "notify subscribers (default) or not" },
    },
    fieldOptions: {
      name: "--name",
      body: "--body",
      status: "--status",
      components: "--component",
      deliver_notifications: "--notify",
    },
    notes: 'Example: herald draft publish 3k9x0a1b2c3d --name "Elevated API errors" --component API=partial_outage',
    async run(ctx, parsed) {
      const id = requiredPositional(parsed, 0, ID_HINT, publishUsage);
      const api = ctx.api();
      const { values } = parsed;
      const answer = await api.run(publishDraftRoute, {
        id,
        name: stringOption(values, "name"),
        body: stringOption(values, "body"),
        status: stringOption(values, "status"),
        components: await componentStatuses(api, listOption(values, "component")),
        deliver_notifications: booleanOption(values, "notify"),
      });
      ctx.print(
        answer,
        (published) => `Published as incident ${published.incident.id}.\n\n${describeIncident(published.incident)}`,
      );
      return 0;
    },
  },
  {
    name: "discard",
    usage: discardUsage,
    summary: "Discard a waiting draft: no incident, no more reminders.",
    async run(ctx, parsed) {
      const id = requiredPositional(parsed, 0, ID_HINT, discardUsage);
      ctx.print(await ctx.api().run(discardDraftRoute, { id }), (d) => `Draft ${d.draft_id} discarded.`);
      return 0;
    },
  },
];

export const draftGroup: CommandGroup = {
  name: "draft",
  summary: "Draft incidents from alerts: list, show, publish, discard.",
  commands,
};
