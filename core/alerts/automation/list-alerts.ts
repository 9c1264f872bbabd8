import { desc, sql } from "drizzle-orm";
import { z } from "zod";
import { ALERT_SEVERITIES, ALERT_STATUSES } from "../../../db/enums.ts";
import { alerts } from "../../../db/schema.ts";
import { defineQuery } from "../../actions/define.ts";
import { intParamWithDefault } from "../../actions/query-params.ts";
import { matchAlerts } from "./matching.ts";
import { loadAutomationState } from "./state.ts";

export const alertViewSchema = z.strictObject({
  id: z.string(),
  source_id: z.string(),
  fingerprint: z.string(),
  status: z.enum(ALERT_STATUSES),
  severity: z.enum(ALERT_SEVERITIES).nullable(),
  summary: z.string(),
  labels: z.record(z.string(), z.string()),
  url: z.string().nullable(),
  firing_since: z.string().nullable(),
  resolved_at: z.string().nullable(),
  last_received_at: z.string(),
  rules: z.array(z.strictObject({ id: z.string(), name: z.string(), counted: z.boolean(), counts_at: z.string() })),
  holds: z.array(z.string()).describe("the components this alert holds at the status it asks for"),
});

export type AlertView = z.output<typeof alertViewSchema>;

/** The current alerts, firing first and then the latest, with the rules they match and the components they hold. */
export const listAlerts = defineQuery({
  name: "alert.list",
  role: "viewer",
  doing: "list alerts",
  input: z.object({ limit: intParamWithDefault("1-500 (default 100)", { min: 1, max: 500, default: 100 }) }),
  async read(ctx, { limit }, now): Promise<AlertView[]> {
    const [rows, state] = await Promise.all([
      ctx.db
        .select()
        .from(alerts)
        .orderBy(sql`${alerts.status} = 'firing' DESC`, desc(alerts.lastReceivedAt))
        .limit(limit),
      loadAutomationState(ctx.db),
    ]);
    const matches = matchAlerts(state.rules, rows, now);
    const ruleNames = new Map(state.rules.map((rule) => [rule.id, rule.name]));
    return rows.map((row) => ({
      id: row.id,
      source_id: row.sourceId,
      fingerprint: row.fingerprint,
      status: row.status,
      severity: row.severity,
      summary: row.summary,
      labels: row.labels,
      url: row.url,
      firing_since: row.firingSince,
      resolved_at: row.resolvedAt,
      last_received_at: row.lastReceivedAt,
      rules: matches
        .filter((match) => match.alertId === row.id)
        .map((match) => ({
          id: match.ruleId,
          name: ruleNames.get(match.ruleId) ?? match.ruleId,
          counted: match.counted,
          counts_at: match.countsAt,
        })),
      holds: state.automated.filter((held) => held.alertIds.includes(row.id)).map((held) => held.componentId),
    }));
  },
});
