import { z } from "zod";
import { ALERT_SEVERITIES, type AlertSeverity } from "../../../db/enums.ts";
import type { ComponentStatus } from "../../model/statuses.ts";
import { templateId } from "../../templates/schemas.ts";
import { safeText } from "../../text/safe-text.ts";
import { MAX_MATCHER_LENGTH, MatcherSyntaxError, parseMatchers } from "./matchers.ts";

/** The statuses an alert may ask for: an alert reports trouble; maintenance and recovery are people's words. */
export const ALERT_COMPONENT_STATUSES = ["degraded_performance", "partial_outage", "major_outage"] as const;
const alertComponentStatus = z.enum(ALERT_COMPONENT_STATUSES);

export type RuleStatuses = Record<AlertSeverity | "default", ComponentStatus>;

export const DEFAULT_STATUSES: RuleStatuses = {
  critical: "major_outage",
  warning: "partial_outage",
  info: "degraded_performance",
  default: "partial_outage",
};

/** One matcher expression; one that does not parse is refused naming it and the problem. */
export const matcherExpression = safeText({ max: MAX_MATCHER_LENGTH, required: "a matcher is required" }).superRefine(
  (value, ctx) => {
    try {
      parseMatchers(value);
    } catch (error) {
      if (!(error instanceof MatcherSyntaxError)) throw error;
      ctx.addIssue({ code: "custom", message: `${value}: ${error.message}` });
    }
  },
);

const statusesInput = z
  .object(Object.fromEntries([...ALERT_SEVERITIES, "default"].map((key) => [key, alertComponentStatus.optional()])))
  .strict()
  .describe(
    "the component status for each alert severity (critical, warning, info) and `default` for an alert without one",
  );

/** An alert source's id as its intake URL names it. */
export const sourceId = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, "an alert source's id, e.g. prometheus");

export const ruleFields = {
  name: safeText({ max: 120, required: "a name is required" }),
  enabled: z.boolean().describe("a disabled rule matches nothing"),
  matchers: z
    .array(matcherExpression)
    .max(20)
    .describe(
      'Alertmanager-syntax matchers the alert\'s labels must all satisfy, e.g. service="api", severity=~"critical|page"',
    ),
  source_ids: z
    .array(sourceId)
    .min(1, "name a source, or send null for every source")
    .max(50)
    .nullable()
    .describe("the alert sources it listens to; null: every source"),
  component_ids: z.array(z.string().max(64)).min(1, "name at least one component").max(100),
  statuses: statusesInput,
  for_seconds: z.int().min(0).max(86_400).describe("seconds an alert must stay firing before it counts (flap damping)"),
  template_id: templateId.nullable().describe("the incident template that drafts the incident; null: no draft"),
  auto_publish_minutes: z
    .int()
    .min(1)
    .max(1440)
    .nullable()
    .describe("publish the draft by itself after this many minutes without anyone acting; null (default): never"),
  remind_minutes: z.int().min(1).max(1440).describe("remind the team of a waiting draft every this many minutes"),
};

export const createRuleInput = z
  .object({
    ...ruleFields,
    enabled: ruleFields.enabled.default(true),
    matchers: ruleFields.matchers.default([]),
    source_ids: ruleFields.source_ids.default(null),
    statuses: ruleFields.statuses.default({}),
    for_seconds: ruleFields.for_seconds.default(0),
    template_id: ruleFields.template_id.default(null),
    auto_publish_minutes: ruleFields.auto_publish_minutes.default(null),
    remind_minutes: ruleFields.remind_minutes.default(10),
  })
  .strict();

export type CreateRuleInput = z.output<typeof createRuleInput>;

export const editRuleInput = z
  .object({
    id: z.string().describe("the rule's id"),
    name: ruleFields.name.optional(),
    enabled: ruleFields.enabled.optional(),
    matchers: ruleFields.matchers.optional(),
    source_ids: ruleFields.source_ids.optional(),
    component_ids: ruleFields.component_ids.optional(),
    statuses: ruleFields.statuses.optional(),
    for_seconds: ruleFields.for_seconds.optional(),
    template_id: ruleFields.template_id.optional(),
    auto_publish_minutes: ruleFields.auto_publish_minutes.optional(),
    remind_minutes: ruleFields.remind_minutes.optional(),
  })
  .strict();

/** The given statuses over the defaults. */
export function fullStatuses(given: Partial<Record<string, ComponentStatus | undefined>>): RuleStatuses {
  const statuses = { ...DEFAULT_STATUSES };
  for (const key of [...ALERT_SEVERITIES, "default"] as const) {
    const status = given[key];
    if (status) statuses[key] = status;
  }
  return statuses;
}
