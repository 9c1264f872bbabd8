import { eq } from "drizzle-orm";
import { alertRules } from "../../../db/schema.ts";
import { defineAction, type Outcome } from "../../actions/define.ts";
import { invalid } from "../../actions/errors.ts";
import { evaluationRequestStatements } from "../automation/request.ts";
import { checkRuleReferences, loadRuleReferences } from "./rule-references.ts";
import { getRuleRow, type RuleView, ruleView } from "./rule-view.ts";
import { editRuleInput, fullStatuses } from "./schemas.ts";

/** An admin edits a rule; the alerts are evaluated again against it. */
export const editRule = defineAction({
  name: "alert_rule.edit",
  role: "admin",
  doing: "edit alert rules",
  input: editRuleInput,
  async load(ctx, { id }) {
    const [refs, row] = await Promise.all([loadRuleReferences(ctx.db), getRuleRow(ctx.db, id)]);
    return { db: ctx.db, refs, row };
  },
  plan({ db, refs, row }, { id, ...input }, { now }): Outcome<RuleView> {
    checkRuleReferences(refs, input);
    const next = {
      ...row,
      name: input.name ?? row.name,
      enabled: input.enabled ?? row.enabled,
      matchers: input.matchers ?? row.matchers,
      sourceIds: input.source_ids === undefined ? row.sourceIds : (input.source_ids ?? []),
      componentIds: input.component_ids ? [...new Set(input.component_ids)] : row.componentIds,
      statuses: input.statuses ? fullStatuses(input.statuses) : row.statuses,
      forSeconds: input.for_seconds ?? row.forSeconds,
      templateId: input.template_id === undefined ? row.templateId : input.template_id,
      autoPublishMinutes:
        input.auto_publish_minutes === undefined ? row.autoPublishMinutes : input.auto_publish_minutes,
      remindMinutes: input.remind_minutes ?? row.remindMinutes,
      updatedAt: now.toISOString(),
    };
    if (next.matchers.length === 0 && next.sourceIds.length === 0) {
      throw invalid("A rule without matchers or sources would take every alert; give at least one.", [
        { path: "matchers", message: "give a matcher (or a source)" },
      ]);
    }
    const { id: _, createdAt: __, ...columns } = next;
    const change = {
      statements: [
        db.update(alertRules).set(columns).where(eq(alertRules.id, id)),
        ...evaluationRequestStatements(db, now),
      ],
      audit: {
        action: "alert_rule.edit",
        targetType: "alert_rule",
        targetId: id,
        details: { before: ruleView(row), after: input },
      },
      jobs: [],
    };
    return { changes: [change], result: ruleView(next) };
  },
});
