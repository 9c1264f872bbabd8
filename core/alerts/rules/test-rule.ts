import { z } from "zod";
import { ALERT_SOURCE_KINDS } from "../../../db/enums.ts";
import { defineQuery } from "../../actions/define.ts";
import { invalid } from "../../actions/errors.ts";
import { ID_PATTERN } from "../../model/ids.ts";
import { COMPONENT_STATUSES, type ComponentStatus } from "../../model/statuses.ts";
import { componentLook } from "../../presentation/status.ts";
import { findTemplateRow, templateOf } from "../../templates/template-view.ts";
import { matchAlerts } from "../automation/matching.ts";
import { type ComponentDecision, planEvaluation } from "../automation/plan.ts";
import { type AlertRow, type AutomationState, loadAutomationState, type RuleRow } from "../automation/state.ts";
import { type IncomingAlert, incomingAlert } from "../incoming.ts";
import { parseIntake } from "../sources/parse.ts";
import { checkRuleReferences, loadRuleReferences } from "./rule-references.ts";
import { getRuleRow } from "./rule-view.ts";
import { createRuleInput, fullStatuses, sourceId } from "./schemas.ts";

export const testRuleInput = z
  .object({
    rule_id: z.string().regex(ID_PATTERN, "a rule's id").optional().describe("a saved rule to test (or give `rule`)"),
    rule: createRuleInput.optional().describe("a rule as it would be created, tested without saving it"),
    source_id: sourceId.optional().describe("the source the alerts come from (default: the rule's first, else `test`)"),
    alerts: z
      .array(incomingAlert)
      .min(1)
      .max(1000)
      .optional()
      .describe("the alerts, in the shape every source's parser produces (or give `kind` and `payload`)"),
    kind: z.enum(ALERT_SOURCE_KINDS).optional().describe("the format of a pasted `payload`"),
    payload: z.unknown().optional().describe("a source's delivery as it would POST it (Alertmanager's webhook, …)"),
  })
  .strict();

const status = z.enum(COMPONENT_STATUSES);

export const ruleTestSchema = z.strictObject({
  applies_at: z
    .string()
    .describe("when the rule would act: now, or when the last matched alert has been firing for for_seconds"),
  alerts: z.array(
    z.strictObject({
      fingerprint: z.string(),
      status: z.string(),
      summary: z.string(),
      matched: z.boolean(),
      counts_at: z.string().nullable(),
    }),
  ),
  components: z.array(
    z.strictObject({
      component_id: z.string(),
      name: z.string(),
      action: z.enum(["move", "restore", "skip", "none"]),
      from: status,
      to: status.nullable(),
      reason: z.string(),
    }),
  ),
  draft: z.strictObject({
    action: z.enum(["create", "attach", "none"]),
    draft_id: z.string().nullable(),
    name: z.string().nullable(),
    body: z.string().nullable(),
    components: z.record(z.string(), status),
  }),
});

export type RuleTest = z.output<typeof ruleTestSchema>;

const TESTED = "tested-rule";

/** What a rule would do with the given alerts on the current state, by the evaluation's own plan, changing nothing. */
export const testRule = defineQuery({
  name: "alert_rule.test",
  role: "viewer",
  doing: "test alert rules",
  input: testRuleInput,
  async read(ctx, input, now): Promise<RuleTest> {
    if ((input.rule_id === undefined) === (input.rule === undefined)) {
      throw invalid("Name a saved rule (rule_id) or give one (rule), not both.", [
        { path: "rule_id", message: "rule_id or rule" },
      ]);
    }
    const alerts = givenAlerts(input);
    const [loaded, rule] = await Promise.all([
      loadAutomationState(ctx.db),
      input.rule_id !== undefined ? getRuleRow(ctx.db, input.rule_id) : inlineRule(ctx.db, input.rule, now),
    ]);
    // The tested rule's template, when no enabled rule loaded it.
    const template = rule.templateId ? await findTemplateRow(ctx.db, rule.templateId) : undefined;
    const state = template ? { ...loaded, templates: [...loaded.templates, templateOf(template)] } : loaded;
    return ruleTest(state, { ...rule, enabled: true }, alerts, input.source_id ?? rule.sourceIds[0] ?? "test", now);
  },
});

/** The alerts as given, or parsed from a pasted payload exactly as the intake parses a delivery. */
function givenAlerts(input: z.output<typeof testRuleInput>): IncomingAlert[] {
  if (input.alerts !== undefined && input.payload !== undefined) {
    throw invalid("Give the alerts or a pasted payload, not both.", [
      { path: "payload", message: "alerts or payload" },
    ]);
  }
  if (input.alerts !== undefined && input.kind === undefined) return input.alerts;
  if (input.alerts === undefined && input.kind !== undefined && input.payload !== undefined) {
    const parsed = parseIntake(input.kind, input.payload);
    if (parsed.alerts.length === 0)
      throw invalid(`The payload holds no alert (${parsed.summary}).`, [
        { path: "payload", message: "no alert in it" },
      ]);
    return parsed.alerts;
  }
  throw invalid("Give the alerts, or a pasted payload with its kind.", [
    { path: "alerts", message: "alerts, or kind and payload" },
  ]);
}

async function inlineRule(
  db: Parameters<typeof loadRuleReferences>[0],
  input: z.output<typeof createRuleInput> | undefined,
  now: Date,
): Promise<RuleRow> {
  if (!input) throw invalid("Give the rule to test.");
  checkRuleReferences(await loadRuleReferences(db), input);
  const at = now.toISOString();
  return {
    id: TESTED,
    name: input.name,
    position: 0,
    enabled: true,
    matchers: input.matchers,
    sourceIds: input.source_ids ?? [],
    componentIds: input.component_ids,
    statuses: fullStatuses(input.statuses),
    forSeconds: input.for_seconds,
    templateId: input.template_id,
    autoPublishMinutes: input.auto_publish_minutes,
    remindMinutes: input.remind_minutes,
    createdAt: at,
    updatedAt: at,
  };
}

/** The plan on the current state with the rule in place and the alerts received now (pure). */
export function ruleTest(
  state: AutomationState,
  rule: RuleRow,
  given: IncomingAlert[],
  sourceId: string,
  now: Date,
): RuleTest {
  const at = now.toISOString();
  const fresh: AlertRow[] = given.map((alert, i) => {
    const existing = state.alerts.find((a) => a.sourceId === sourceId && a.fingerprint === alert.fingerprint);
    return {
      id: existing?.id ?? `tested-alert-${i}`,
      sourceId,
      fingerprint: alert.fingerprint,
      status: alert.status,
      severity: alert.severity,
      summary: alert.summary,
      labels: alert.labels,
      annotations: alert.annotations,
      url: alert.url,
      startsAt: alert.startsAt,
      firingSince: existing?.firingSince ?? at,
      resolvedAt: alert.status === "resolved" ? at : null,
      firstReceivedAt: existing?.firstReceivedAt ?? at,
      lastReceivedAt: at,
    };
  });
  const replaced = new Set(fresh.map((a) => a.id));
  const alerts = [...state.alerts.filter((a) => !replaced.has(a.id)), ...fresh.filter((a) => a.status === "firing")];
  const rules = [...state.rules.filter((r) => r.id !== rule.id), rule];
  const overlay: AutomationState = { ...state, rules, alerts };
  const matched = matchAlerts([rule], fresh, now);
  const appliesAt = [at, ...matched.map((m) => m.countsAt)].sort().at(-1) ?? at;
  const plan = planEvaluation(overlay, new Date(appliesAt));
  const components = rule.componentIds.flatMap((id): RuleTest["components"] => {
    const component = state.components.find((c) => c.id === id);
    if (!component) return [];
    const counted = plan.matches.some((m) => m.ruleId === rule.id && m.counted);
    return [
      outcome(
        component,
        plan.components.find((d) => d.componentId === id),
        counted,
      ),
    ];
  });
  const draft = plan.drafts.find((d) => d.ruleId === rule.id);
  return {
    applies_at: appliesAt,
    alerts: fresh.map((alert) => {
      const match = matched.find((m) => m.alertId === alert.id);
      return {
        fingerprint: alert.fingerprint,
        status: alert.status,
        summary: alert.summary,
        matched: match !== undefined,
        counts_at: match?.countsAt ?? null,
      };
    }),
    components,
    draft: draft
      ? {
          action: draft.create ? "create" : "attach",
          draft_id: draft.create ? null : draft.draftId,
          name: draft.create?.name ?? null,
          body: draft.create?.body ?? null,
          components: draft.create?.components ?? {},
        }
      : { action: "none", draft_id: null, name: null, body: null, components: {} },
  };
}

type Outcome = RuleTest["components"][number];

function outcome(
  component: { id: string; name: string; status: ComponentStatus },
  decision: ComponentDecision | undefined,
  counted: boolean,
): Outcome {
  const base = { component_id: component.id, name: component.name, from: component.status };
  const label = (s: ComponentStatus) => componentLook(s).label.toLowerCase();
  switch (decision?.kind) {
    case "move":
      return { ...base, action: "move", to: decision.to, reason: `an alert asks for ${label(decision.to)}` };
    case "restore":
      return { ...base, action: "restore", to: decision.to, reason: "no alert holds it any more" };
    case "skip": {
      const why =
        decision.reason === "maintenance"
          ? "it is under maintenance"
          : `the open incident "${decision.hold?.name ?? ""}" names it`;
      return { ...base, action: "skip", to: null, reason: `would move to ${label(decision.desired)}, but ${why}` };
    }
    case "release":
      return { ...base, action: "none", to: null, reason: "a person changed it since: the person wins" };
    default:
      return {
        ...base,
        action: "none",
        to: null,
        reason: counted ? `already at ${label(component.status)} or worse` : "no matching alert counts",
      };
  }
}
