/** @jsxImportSource hono/jsx */
import type { Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { run } from "../../../core/actions/run.ts";
import { listAutomatedComponents } from "../../../core/alerts/automation/list-automated.ts";
import { createRule } from "../../../core/alerts/rules/create-rule.ts";
import { deleteRule } from "../../../core/alerts/rules/delete-rule.ts";
import { editRule } from "../../../core/alerts/rules/edit-rule.ts";
import { listRules } from "../../../core/alerts/rules/list-rules.ts";
import { type RuleTest, testRule } from "../../../core/alerts/rules/test-rule.ts";
import { listAlertSources } from "../../../core/alerts/sources/list-sources.ts";
import { listComponents } from "../../../core/components/load-components.ts";
import { getPage } from "../../../core/page/get-page.ts";
import { listTemplates } from "../../../core/templates/list-templates.ts";
import { ruleFromForm } from "../alert-rule-form.ts";
import { attempt, done, render } from "../render.ts";
import { RulesScreen } from "../screens/alert-rules.tsx";
import { actionContext, type ConsoleDeps, type ConsoleEnv } from "../session.ts";
import type { FormValues, Refusal } from "../ui/form.tsx";

type Extra = {
  /** The rule being edited (its id), or undefined for the new-rule form. */
  editing?: string | undefined;
  refusal?: Refusal | undefined;
  values?: FormValues | undefined;
  test?: { result: RuleTest } | { refusal: Refusal } | undefined;
  testValues?: FormValues | undefined;
};

/** The alert rules screen: the rules, a form to add or edit one, and a test against a pasted payload. */
export function alertRuleRoutes(app: Hono<ConsoleEnv>, deps: ConsoleDeps): void {
  const screen = async (c: Context<ConsoleEnv>, extra: Extra = {}, status: ContentfulStatusCode = 200) => {
    const ctx = actionContext(c, deps);
    const [page, rules, components, sources, templates, automated] = await Promise.all([
      getPage(deps.db),
      run(ctx, listRules, {}),
      listComponents(deps.db),
      run(ctx, listAlertSources, {}),
      run(ctx, listTemplates, {}),
      run(ctx, listAutomatedComponents, {}),
    ]);
    const editing = extra.editing ?? c.req.query("edit");
    return render(
      c,
      <RulesScreen
        session={c.get("session")}
        pageName={page.name}
        rules={rules}
        components={components.filter((component) => !component.isGroup)}
        sources={sources.filter((source) => !source.revoked_at)}
        templates={templates.filter((template) => template.kind === "incident")}
        automated={automated}
        editing={rules.find((rule) => rule.id === editing)}
        done={c.req.query("done")}
        refusal={extra.refusal}
        values={extra.values}
        test={extra.test}
        testValues={extra.testValues ?? {}}
      />,
      status,
    );
  };
  app.get("/alerts/rules", (c) => screen(c));

  app.post("/alerts/rules", async (c) => {
    const form = c.get("form");
    const result = await attempt(() => run(actionContext(c, deps), createRule, ruleFromForm(form)));
    if (!result.ok) return screen(c, { refusal: result.refusal, values: form }, result.status);
    return done(c, "/admin/alerts/rules", "rule-created");
  });

  app.post("/alerts/rules/test", async (c) => {
    const form = c.get("form");
    let payload: unknown;
    try {
      payload = JSON.parse(form.payload ?? "");
    } catch (error) {
      const message = `The payload is not JSON: ${(error as Error).message}`;
      return screen(
        c,
        { test: { refusal: { message, fields: [{ path: "payload", message }] } }, testValues: form },
        422,
      );
    }
    const result = await attempt(() =>
      run(actionContext(c, deps), testRule, { rule_id: form.rule_id ?? "", kind: form.kind ?? "", payload }),
    );
    const test = result.ok ? { result: result.value } : { refusal: result.refusal };
    return screen(c, { test, testValues: form }, result.ok ? 200 : result.status);
  });

  app.post("/alerts/rules/:id", async (c) => {
    const form = c.get("form");
    const id = c.req.param("id");
    const result = await attempt(() => run(actionContext(c, deps), editRule, { id, ...ruleFromForm(form) }));
    if (!result.ok) return screen(c, { editing: id, refusal: result.refusal, values: form }, result.status);
    return done(c, "/admin/alerts/rules", "rule-saved");
  });

  app.post("/alerts/rules/:id/delete", async (c) => {
    const result = await attempt(() => run(actionContext(c, deps), deleteRule, { id: c.req.param("id") }));
    if (!result.ok) return screen(c, { refusal: result.refusal }, result.status);
    return done(c, "/admin/alerts/rules", "rule-deleted");
  });
}
