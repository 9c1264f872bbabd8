import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../../db/client.ts";
import { ALERT_SEVERITIES } from "../../../db/enums.ts";
import { alertRules } from "../../../db/schema.ts";
import { notFound } from "../../actions/errors.ts";
import { COMPONENT_STATUSES } from "../../model/statuses.ts";
import type { RuleRow } from "../automation/state.ts";

/** A rule as the API shows it. */
export const ruleViewSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  position: z.int(),
  enabled: z.boolean(),
  matchers: z.array(z.string()),
  source_ids: z.array(z.string()).nullable().describe("null: every source"),
  component_ids: z.array(z.string()),
  statuses: z.strictObject(
    Object.fromEntries([...ALERT_SEVERITIES, "default"].map((key) => [key, z.enum(COMPONENT_STATUSES)])),
  ),
  for_seconds: z.int(),
  template_id: z.string().nullable(),
  auto_publish_minutes: z.int().nullable(),
  remind_minutes: z.int(),
  created_at: z.string(),
  updated_at: z.string(),
});

export type RuleView = z.output<typeof ruleViewSchema>;

export function ruleView(row: RuleRow): RuleView {
  return {
    id: row.id,
    name: row.name,
    position: row.position,
    enabled: row.enabled,
    matchers: row.matchers,
    source_ids: row.sourceIds.length > 0 ? row.sourceIds : null,
    component_ids: row.componentIds,
    statuses: row.statuses,
    for_seconds: row.forSeconds,
    template_id: row.templateId,
    auto_publish_minutes: row.autoPublishMinutes,
    remind_minutes: row.remindMinutes,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
  };
}

export async function listRuleRows(db: Db): Promise<RuleRow[]> {
  return db.select().from(alertRules).orderBy(asc(alertRules.position), asc(alertRules.createdAt));
}

export async function getRuleRow(db: Db, id: string): Promise<RuleRow> {
  const [row] = await db.select().from(alertRules).where(eq(alertRules.id, id));
  if (!row) throw notFound(`There is no alert rule "${id}".`);
  return row;
}
