import { z } from "zod";
import { alertViewSchema, listAlerts } from "../../core/alerts/automation/list-alerts.ts";
import { automatedComponentsSchema, listAutomatedComponents } from "../../core/alerts/automation/list-automated.ts";
import { createRule } from "../../core/alerts/rules/create-rule.ts";
import { deleteRule } from "../../core/alerts/rules/delete-rule.ts";
import { editRule } from "../../core/alerts/rules/edit-rule.ts";
import { getRule, listRules } from "../../core/alerts/rules/list-rules.ts";
import { ruleViewSchema } from "../../core/alerts/rules/rule-view.ts";
import { ruleTestSchema, testRule } from "../../core/alerts/rules/test-rule.ts";
import type { AdminRoute } from "../admin-route.ts";
import { operationRoute } from "../operation-route.ts";

const tag = "alerts";

export const listRulesRoute = operationRoute(listRules, {
  method: "get",
  path: "/api/alert-rules",
  summary: "List alert rules (which alerts move which components, and the template that drafts the incident)",
  tag,
  status: 200,
  response: z.array(ruleViewSchema),
  respond: (rules) => rules,
  responseDescription: "every rule in the order they are listed",
});

export const createRuleRoute = operationRoute(createRule, {
  method: "post",
  path: "/api/alert-rules",
  summary: "Create an alert rule",
  tag,
  status: 201,
  response: ruleViewSchema,
  respond: (rule) => rule,
  responseDescription: "the new rule (alerts already firing meet it at the next evaluation, at once)",
});

export const testRuleRoute = operationRoute(testRule, {
  method: "post",
  path: "/api/alert-rules/test",
  summary: "Test a rule (saved or inline) against alerts: what it would do now, changing nothing",
  tag,
  status: 200,
  response: ruleTestSchema,
  respond: (test) => test,
  responseDescription: "which alerts match and when they count, each component's change or why not, the draft",
});

export const getRuleRoute = operationRoute(getRule, {
  method: "get",
  path: "/api/alert-rules/{id}",
  summary: "Get an alert rule",
  tag,
  status: 200,
  response: ruleViewSchema,
  respond: (rule) => rule,
  responseDescription: "the rule",
});

export const editRuleRoute = operationRoute(editRule, {
  method: "patch",
  path: "/api/alert-rules/{id}",
  summary: "Edit an alert rule",
  tag,
  status: 200,
  response: ruleViewSchema,
  respond: (rule) => rule,
  responseDescription: "the rule",
});

export const deleteRuleRoute = operationRoute(deleteRule, {
  method: "delete",
  path: "/api/alert-rules/{id}",
  summary: "Delete an alert rule (components only it held are restored)",
  tag,
  status: 204,
  responseDescription: "deleted",
});

export const listAlertsRoute = operationRoute(listAlerts, {
  method: "get",
  path: "/api/alerts",
  summary: "List the current alerts, firing first, with the rules they match and the components they hold",
  tag,
  status: 200,
  response: z.array(alertViewSchema),
  respond: (alerts) => alerts,
  responseDescription: "the alerts",
});

export const automatedComponentsRoute = operationRoute(listAutomatedComponents, {
  method: "get",
  path: "/api/automated-components",
  summary: "What the alert automation holds, and what it left alone in the last day",
  tag,
  status: 200,
  response: automatedComponentsSchema,
  respond: (held) => held,
  responseDescription: "the held components and the recent skips",
});

export const alertRuleRoutes: AdminRoute[] = [
  listRulesRoute,
  createRuleRoute,
  testRuleRoute,
  getRuleRoute,
  editRuleRoute,
  deleteRuleRoute,
  listAlertsRoute,
  automatedComponentsRoute,
];
