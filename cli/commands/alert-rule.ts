import { readFile } from "node:fs/promises";
import { createRuleRoute, deleteRuleRoute, listRulesRoute, testRuleRoute } from "../../api/routes/alert-rules.ts";
import type { RuleView } from "../../core/alerts/rules/rule-view.ts";
import type { RuleTest } from "../../core/alerts/rules/test-rule.ts";
import {
  type CommandGroup,
  keyValueOption,
  listOption,
  parseMinutes,
  requiredOption,
  requiredPositional,
  stringOption,
  table,
  UsageError,
} from "../command.ts";

function ruleRows(rules: RuleView[]): string {
  if (rules.length === 0)
    return "No alert rules yet: `herald alert-rule create --name NAME --match 'service=\"api\"' --component ID`.";
  return table(
    rules.map((r) => [
      r.id,
      r.enabled ? "on" : "off",
      r.matchers.join(", ") || "(every alert)",
      `→ ${r.component_ids.length} component(s)`,
      r.for_seconds > 0 ? `after ${r.for_seconds}s` : "at once",
      r.template_id ? `drafts from ${r.template_id}` : "no draft",
      r.name,
    ]),
  );
}

function testText(test: RuleTest): string {
  const lines = [`As of ${test.applies_at}:`];
  for (const alert of test.alerts) {
    const when = alert.counts_at ? ` (counts from ${alert.counts_at})` : "";
    lines.push(
      `  alert ${alert.fingerprint} ${alert.status}: ${alert.matched ? `matches${when}` : "does not match"}  ${alert.summary}`,
    );
  }
  for (const c of test.components) lines.push(`  ${c.name}: ${c.action}${c.to ? ` → ${c.to}` : ""} (${c.reason})`);
  if (test.draft.action === "create") lines.push(`  drafts the incident "${test.draft.name ?? ""}"`);
  if (test.draft.action === "attach") lines.push(`  adds the alerts to the waiting draft ${test.draft.draft_id ?? ""}`);
  return lines.join("\n");
}

/** Digits as a number; anything else as typed, so the API's refusal names the option. */
function wholeOrText(text: string): number | string {
  return /^\d{1,9}$/.test(text.trim()) ? Number(text.trim()) : text;
}

async function readJson(file: string, option: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    throw new UsageError(`--${option}: cannot read JSON from ${file}: ${(error as Error).message}`);
  }
}

const createUsage =
  "alert-rule create --name NAME --match MATCHER... --component ID... [--source ID...] [--status SEVERITY=STATUS...] [--for SECONDS] [--template ID] [--auto-publish DURATION] [--remind DURATION]";
const deleteUsage = "alert-rule delete ID";
const testUsage = "alert-rule test ID (--payload FILE --kind KIND | --alerts FILE)";

export const alertRuleGroup: CommandGroup = {
  name: "alert-rule",
  summary:
    "Alert rules (admin token to change): which alerts move which components, and the template that drafts the incident.",
  commands: [
    {
      name: "list",
      usage: "alert-rule list",
      summary: "List alert rules.",
      async run(ctx) {
        ctx.print(await ctx.api().run(listRulesRoute, {}), ruleRows);
        return 0;
      },
    },
    {
      name: "create",
      usage: createUsage,
      summary: "Add a rule: alerts matching every --match move each --component to the status of their severity.",
      options: {
        name: { type: "string", value: "NAME", description: "what people call it: API errors" },
        match: {
          type: "string",
          multiple: true,
          value: "MATCHER",
          description: 'an Alertmanager matcher: service="api", env=~"prod|eu"',
        },
        component: { type: "string", multiple: true, value: "ID", description: "a component it moves" },
        source: {
          type: "string",
          multiple: true,
          value: "ID",
          description: "an alert source it listens to (default: every source)",
        },
        status: {
          type: "string",
          multiple: true,
          value: "SEVERITY=STATUS",
          description: "e.g. critical=major_outage, default=partial_outage",
        },
        for: {
          type: "string",
          value: "SECONDS",
          description: "seconds an alert must keep firing before it counts (default 0)",
        },
        template: { type: "string", value: "ID", description: "the incident template that drafts the incident" },
        "auto-publish": {
          type: "string",
          value: "DURATION",
          description: "publish the draft by itself after this long (default: never)",
        },
        remind: {
          type: "string",
          value: "DURATION",
          description: "remind the team of a waiting draft this often (default 10m)",
        },
      },
      fieldOptions: {
        name: "--name",
        matchers: "--match",
        component_ids: "--component",
        source_ids: "--source",
        statuses: "--status",
        for_seconds: "--for",
        template_id: "--template",
        auto_publish_minutes: "--auto-publish",
        remind_minutes: "--remind",
      },
      async run(ctx, { values }) {
        const sources = listOption(values, "source");
        const autoPublish = stringOption(values, "auto-publish");
        const remind = stringOption(values, "remind");
        const created = await ctx.api().run(createRuleRoute, {
          name: requiredOption(values, "name", createUsage),
          matchers: listOption(values, "match"),
          component_ids: listOption(values, "component"),
          source_ids: sources.length > 0 ? sources : null,
          statuses: keyValueOption(values, "status") ?? {},
          for_seconds: wholeOrText(stringOption(values, "for") ?? "0"),
          template_id: stringOption(values, "template") ?? null,
          auto_publish_minutes: autoPublish === undefined ? null : parseMinutes(autoPublish, "auto-publish"),
          remind_minutes: remind === undefined ? 10 : parseMinutes(remind, "remind"),
        });
        ctx.print(created, (r) => `Created alert rule ${r.id} "${r.name}".\n${ruleRows([r])}`);
        return 0;
      },
    },
    {
      name: "delete",
      usage: deleteUsage,
      summary: "Delete a rule; components only it held go back to what they were.",
      async run(ctx, parsed) {
        const id = requiredPositional(parsed, 0, "the rule's id (see `herald alert-rule list`)", deleteUsage);
        await ctx.api().run(deleteRuleRoute, { id });
        ctx.print({ id, deleted: true }, () => `Deleted alert rule ${id}.`);
        return 0;
      },
    },
    {
      name: "test",
      usage: testUsage,
      summary: "Show what a rule would do with a pasted payload (or alerts), changing nothing.",
      options: {
        payload: {
          type: "string",
          value: "FILE",
          description: "a sender's delivery as JSON (Alertmanager's webhook body, …)",
        },
        kind: {
          type: "string",
          value: "KIND",
          description: "the payload's format: alertmanager, grafana, pagerduty, generic",
        },
        alerts: { type: "string", value: "FILE", description: "alerts as JSON, in the shape every parser produces" },
      },
      fieldOptions: { payload: "--payload", kind: "--kind", alerts: "--alerts" },
      async run(ctx, parsed) {
        const id = requiredPositional(parsed, 0, "the rule's id (see `herald alert-rule list`)", testUsage);
        const payload = stringOption(parsed.values, "payload");
        const alerts = stringOption(parsed.values, "alerts");
        if ((payload === undefined) === (alerts === undefined))
          throw new UsageError(`Give --payload or --alerts: herald ${testUsage}`);
        const input = payload
          ? {
              rule_id: id,
              kind: requiredOption(parsed.values, "kind", testUsage),
              payload: await readJson(payload, "payload"),
            }
          : { rule_id: id, alerts: await readJson(alerts ?? "", "alerts") };
        // The file's JSON goes as read: the API checks it and names what is wrong.
        ctx.print(await ctx.api().call<RuleTest>("POST", testRuleRoute.path, input), testText);
        return 0;
      },
    },
  ],
};
