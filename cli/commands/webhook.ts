import { createWebhookRoute, editWebhookRoute, listWebhooksRoute } from "../../api/routes/webhooks.ts";
import type { WebhookView } from "../../core/webhook-subscribers/webhook-view.ts";
import {
  booleanOption,
  type CommandGroup,
  listOption,
  requiredOption,
  requiredPositional,
  stringOption,
  table,
} from "../command.ts";

function webhookRows(webhooks: WebhookView[]): string {
  if (webhooks.length === 0) return "No webhooks yet: `herald webhook add --endpoint URL --owner-email ADDRESS`.";
  return table(
    webhooks.map((w) => [
      w.id,
      w.format,
      w.state,
      w.team ? "team" : w.source === "form" ? "subscriber (form)" : "subscriber",
      w.url,
    ]),
  );
}

function webhookText(w: WebhookView): string {
  const who = w.team ? "the team's own (also told team events such as update overdue)" : "a subscriber";
  return `Webhook ${w.id} (${w.format}, ${w.state}) to ${w.url}: ${who}.`;
}

const addUsage =
  "webhook add --endpoint URL --owner-email ADDRESS [--format json|slack|discord|teams] [--component ID]... [--team]";
const editUsage = "webhook edit ID [--team | --no-team] [--owner-email ADDRESS]";

export const webhookGroup: CommandGroup = {
  name: "webhook",
  summary: "Webhooks (admin token): list, add, mark as the team's own.",
  commands: [
    {
      name: "list",
      usage: "webhook list",
      summary: "List webhooks, the team's own marked `team` (never their secrets).",
      async run(ctx) {
        ctx.print(await ctx.api().run(listWebhooksRoute, {}), webhookRows);
        return 0;
      },
    },
    {
      name: "add",
      usage: addUsage,
      summary: "Add a webhook, active at once; its signing secret is shown once.",
      options: {
        // Not --url: that is Herald's own address, as for every command.
        endpoint: { type: "string", value: "URL", description: "where to POST (https)" },
        "owner-email": { type: "string", value: "ADDRESS", description: "told by mail if it is disabled" },
        format: { type: "string", value: "FORMAT", description: "json (default), slack, discord or teams" },
        component: {
          type: "string",
          multiple: true,
          value: "ID",
          description: "a component or group to be told about (repeatable); none: the whole page",
        },
        team: {
          type: "boolean",
          description: "the team's own: it also gets team events (update overdue), which no subscriber gets",
        },
      },
      fieldOptions: {
        url: "--endpoint",
        owner_email: "--owner-email",
        format: "--format",
        components: "--component",
        team: "--team",
      },
      async run(ctx, { values }) {
        const components = listOption(values, "component");
        const created = await ctx.api().run(createWebhookRoute, {
          url: requiredOption(values, "endpoint", addUsage),
          owner_email: requiredOption(values, "owner-email", addUsage),
          format: stringOption(values, "format"),
          ...(components.length > 0 && { components }),
          team: booleanOption(values, "team"),
        });
        ctx.print(created, (w) => `${webhookText(w)}\nIts signing secret is shown only once:\n\n  ${w.secret}\n`);
        return 0;
      },
    },
    {
      name: "edit",
      usage: editUsage,
      summary: "Mark a webhook as the team's own (--team) or not (--no-team), or change its owner's address.",
      notes: "A webhook subscribed on the public /subscribe/ form can never be the team's own.",
      options: {
        team: { type: "boolean", description: "the team's own (--no-team: a subscriber)" },
        "owner-email": { type: "string", value: "ADDRESS", description: "told by mail if it is disabled" },
      },
      fieldOptions: { team: "--team", owner_email: "--owner-email" },
      async run(ctx, parsed) {
        const id = requiredPositional(parsed, 0, "the webhook's id", editUsage);
        const edited = await ctx.api().run(editWebhookRoute, {
          id,
          team: booleanOption(parsed.values, "team"),
          owner_email: stringOption(parsed.values, "owner-email"),
        });
        ctx.print(edited, webhookText);
        return 0;
      },
    },
  ],
};
