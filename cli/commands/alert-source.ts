import {
  createAlertSourceRoute,
  listAlertSourcesRoute,
  revokeAlertSourceRoute,
  rotateAlertSourceTokenRoute,
} from "../../api/routes/alert-sources.ts";
import type { AlertSourceView, AlertSourceWithToken } from "../../core/alerts/sources/schemas.ts";
import { senderConfig } from "../../core/alerts/sources/sender-config.ts";
import {
  type CommandGroup,
  parseMinutes,
  requiredOption,
  requiredPositional,
  stringOption,
  table,
} from "../command.ts";

function sourceRows(sources: AlertSourceView[]): string {
  if (sources.length === 0) return "No alert sources yet: `herald alert-source create --name NAME --kind KIND`.";
  return table(
    sources.map((s) => [
      s.id,
      s.kind,
      s.revoked_at ? `revoked ${s.revoked_at}` : "active",
      s.kind === "heartbeat"
        ? `every ${s.heartbeat_minutes} min, last ping ${s.last_ping_at ?? "never"}`
        : `last delivery ${s.last_used_at ?? "never"}`,
      s.name,
    ]),
  );
}

function createdText(s: AlertSourceWithToken): string {
  return [
    `Created ${s.kind} source "${s.name}" (id ${s.id}). Its token is shown only once:`,
    "",
    `  ${s.token}`,
    "",
    `Deliver to ${s.intake_url}. Paste into the sender:`,
    "",
    senderConfig(s, s.intake_url, s.token),
    "",
  ].join("\n");
}

const createUsage =
  "alert-source create --name NAME --kind alertmanager|grafana|pagerduty|generic|heartbeat [--id ID] [--signing-secret SECRET] [--every DURATION]";
const revokeUsage = "alert-source revoke ID";
const rotateUsage = "alert-source rotate ID";

export const alertSourceGroup: CommandGroup = {
  name: "alert-source",
  summary: "Alert sources (admin token): create (prints its token and configuration once), list, revoke, rotate.",
  commands: [
    {
      name: "list",
      usage: "alert-source list",
      summary: "List alert sources (never their tokens).",
      async run(ctx) {
        ctx.print(await ctx.api().run(listAlertSourcesRoute, {}), sourceRows);
        return 0;
      },
    },
    {
      name: "create",
      usage: createUsage,
      summary: "Add an alert source; its token and a configuration to paste into the sender are shown once.",
      options: {
        name: { type: "string", value: "NAME", description: "what people call it: Prometheus, Nightly backup" },
        kind: { type: "string", value: "KIND", description: "alertmanager, grafana, pagerduty, generic or heartbeat" },
        id: { type: "string", value: "ID", description: "its name in the intake URL (default: made from the name)" },
        "signing-secret": { type: "string", value: "SECRET", description: "PagerDuty's webhook signing secret" },
        every: {
          type: "string",
          value: "MINUTES",
          description: "a heartbeat's period: minutes without a ping before it alerts",
        },
      },
      fieldOptions: {
        name: "--name",
        kind: "--kind",
        id: "--id",
        signing_secret: "--signing-secret",
        heartbeat_minutes: "--every",
      },
      async run(ctx, { values }) {
        const every = stringOption(values, "every");
        const created = await ctx.api().run(createAlertSourceRoute, {
          name: requiredOption(values, "name", createUsage),
          kind: requiredOption(values, "kind", createUsage),
          id: stringOption(values, "id"),
          signing_secret: stringOption(values, "signing-secret"),
          heartbeat_minutes: every === undefined ? undefined : parseMinutes(every, "every"),
        });
        ctx.print(created, createdText);
        return 0;
      },
    },
    {
      name: "revoke",
      usage: revokeUsage,
      summary: "Revoke an alert source and its token at once: its next delivery is refused (401).",
      async run(ctx, parsed) {
        const id = requiredPositional(parsed, 0, "the source's id (see `herald alert-source list`)", revokeUsage);
        await ctx.api().run(revokeAlertSourceRoute, { id });
        ctx.print({ id, revoked: true }, () => `Revoked alert source ${id}: its token no longer delivers.`);
        return 0;
      },
    },
    {
      name: "rotate",
      usage: rotateUsage,
      summary: "Give an alert source a new token (shown once); the old one stops working at once.",
      async run(ctx, parsed) {
        const id = requiredPositional(parsed, 0, "the source's id (see `herald alert-source list`)", rotateUsage);
        ctx.print(await ctx.api().run(rotateAlertSourceTokenRoute, { id }), createdText);
        return 0;
      },
    },
  ],
};
