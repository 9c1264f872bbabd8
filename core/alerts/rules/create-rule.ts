import { alertRules } from "../../../db/schema.ts";
import { defineAction, type Outcome } from "../../actions/define.ts";
import { invalid } from "../../actions/errors.ts";
import { newId } from "../../model/ids.ts";
import { evaluationRequestStatements } from "../automation/request.ts";
import { checkRuleReferences, loadRuleReferences } from "./rule-references.ts";
import { listRuleRows, type RuleView, ruleView } from "./rule-view.ts";
import { createRuleInput, fullStatuses } from "./schemas.ts";

/** An admin adds a rule: which alerts move which components to which status, and which template drafts the incident. */
export const createRule = defineAction({
  name: "alert_rule.create",
  role: "admin",
  doing: "create alert rules",
  input: createRuleInput,
  async load(ctx) {
    const [refs, rules] = await Promise.all([loadRuleReferences(ctx.db), listRuleRows(ctx.db)]);
    return { db: ctx.db, refs, lastPosition: Math.max(0, ...rules.map((r) => r.position)) };
  },
  plan({ db, refs, lastPosition }, input, { now }): Outcome<RuleView> {
    checkRuleReferences(refs, input);
    if (input.matchers.length === 0 && input.source_ids === null) {
      throw invalid("A rule without matchers or sources would take every alert; give at least one.", [
        { path: "matchers", message: "give a matcher (or a source)" },
      ]);
    }
    const at = now.toISOString();
    const row = {
      id: newId(),
      name: input.name,
      position: lastPosition + 1,
      enabled: input.enabled,
      matchers: input.matchers,
      sourceIds: input.source_ids ?? [],
      componentIds: [...new Set(input.component_ids)],
      statuses: fullStatuses(input.statuses),
      forSeconds: input.for_seconds,
      templateId: input.template_id,
      autoPublishMinutes: input.auto_publish_minutes,
      remindMinutes: input.remind_minutes,
      createdAt: at,
      updatedAt: at,
    };
    const change = {
      // Alerts already firing meet the new rule at once.
      statements: [db.insert(alertRules).values(row), ...evaluationRequestStatements(db, now)],
      audit: { action: "alert_rule.create", targetType: "alert_rule", targetId: row.id, details: { ...ruleView(row) } },
      jobs: [],
    };
    return { changes: [change], result: ruleView(row) };
  },
});
