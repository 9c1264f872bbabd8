import { and, desc, eq, gte } from "drizzle-orm";
import { z } from "zod";
import { alertLog, automatedComponents, components } from "../../../db/schema.ts";
import { defineQuery } from "../../actions/define.ts";
import { COMPONENT_STATUSES } from "../../model/statuses.ts";

const status = z.enum(COMPONENT_STATUSES);

export const automatedComponentsSchema = z.strictObject({
  held: z.array(
    z.strictObject({
      component_id: z.string(),
      name: z.string(),
      status,
      restore_status: status,
      alert_ids: z.array(z.string()),
      rule_ids: z.array(z.string()),
      since: z.string(),
    }),
  ),
  skipped: z
    .array(
      z.strictObject({
        at: z.string(),
        summary: z.string(),
        component_id: z.string().nullable(),
        reason: z.string().nullable(),
      }),
    )
    .describe(
      "what the automation left alone in the last 24 hours (maintenance, a person's incident, a person's change)",
    ),
});

export type AutomatedComponents = z.output<typeof automatedComponentsSchema>;

const DAY_MS = 24 * 60 * 60 * 1000;

/** The components the automation holds (at which status, by which alerts, back to what) and what it recently skipped. */
export const listAutomatedComponents = defineQuery({
  name: "alert.automated_components",
  role: "viewer",
  doing: "see what the alert automation holds",
  input: z.object({}),
  async read(ctx, _input, now): Promise<AutomatedComponents> {
    const [held, skipped] = await Promise.all([
      ctx.db
        .select({ row: automatedComponents, name: components.name })
        .from(automatedComponents)
        .innerJoin(components, eq(components.id, automatedComponents.componentId))
        .orderBy(desc(automatedComponents.since)),
      ctx.db
        .select()
        .from(alertLog)
        .where(and(eq(alertLog.kind, "skipped"), gte(alertLog.at, new Date(now.getTime() - DAY_MS).toISOString())))
        .orderBy(desc(alertLog.at))
        .limit(100),
    ]);
    const text = (value: unknown) => (typeof value === "string" ? value : null);
    return {
      held: held.map(({ row, name }) => ({
        component_id: row.componentId,
        name,
        status: row.status,
        restore_status: row.restoreStatus,
        alert_ids: row.alertIds,
        rule_ids: row.ruleIds,
        since: row.since,
      })),
      skipped: skipped.map((line) => ({
        at: line.at,
        summary: line.summary,
        component_id: text(line.details.component_id),
        reason: text(line.details.reason),
      })),
    };
  },
});
