import { z } from "zod";
import { defineQuery } from "../../actions/define.ts";
import { getRuleRow, listRuleRows, type RuleView, ruleView } from "./rule-view.ts";

export const listRules = defineQuery({
  name: "alert_rule.list",
  role: "viewer",
  doing: "list alert rules",
  input: z.object({}),
  read: async (ctx): Promise<RuleView[]> => (await listRuleRows(ctx.db)).map(ruleView),
});

export const getRule = defineQuery({
  name: "alert_rule.get",
  role: "viewer",
  doing: "read alert rules",
  input: z.object({ id: z.string().describe("the rule's id") }),
  read: async (ctx, { id }): Promise<RuleView> => ruleView(await getRuleRow(ctx.db, id)),
});
