/** @jsxImportSource hono/jsx */
import type { AutomatedComponents } from "../../../core/alerts/automation/list-automated.ts";
import type { RuleView } from "../../../core/alerts/rules/rule-view.ts";
import { ALERT_COMPONENT_STATUSES, DEFAULT_STATUSES } from "../../../core/alerts/rules/schemas.ts";
import type { RuleTest } from "../../../core/alerts/rules/test-rule.ts";
import type { AlertSourceView } from "../../../core/alerts/sources/schemas.ts";
import type { ConsoleSession } from "../../../core/console/sessions.ts";
import type { ComponentRow } from "../../../core/model/rows.ts";
import { componentLook } from "../../../core/presentation/status.ts";
import type { TemplateView } from "../../../core/templates/template-view.ts";
import { ALERT_SEVERITIES } from "../../../db/enums.ts";
import { COMPONENT_BOX, SOURCE_BOX, STATUS_SELECT } from "../alert-rule-form.ts";
import { errorsFor, Field, type FormValues, PostForm, type Refusal, RefusalSummary, SelectField } from "../ui/form.tsx";
import { Icon } from "../ui/icons.tsx";
import { Layout, Notice, PageHead } from "../ui/layout.tsx";
import { HeldCard } from "./alert-held.tsx";
import { RuleTestCard } from "./alert-rule-test.tsx";

export type RulesScreenProps = {
  session: ConsoleSession;
  pageName: string;
  rules: RuleView[];
  components: ComponentRow[];
  sources: AlertSourceView[];
  templates: TemplateView[];
  automated: AutomatedComponents;
  editing: RuleView | undefined;
  done: string | undefined;
  refusal: Refusal | undefined;
  values: FormValues | undefined;
  test: { result: RuleTest } | { refusal: Refusal } | undefined;
  testValues: FormValues;
};

export function RulesScreen(props: RulesScreenProps) {
  const admin = props.session.actor.role === "admin";
  const names = new Map(props.components.map((c) => [c.id, c.name]));
  return (
    <Layout title="Alert rules" section="alerts" session={props.session} pageName={props.pageName}>
      <PageHead
        title="Alert rules"
        lead="Which alerts move which components, how long they must keep firing, and which template drafts the incident."
        actions={
          <a class="btn" href="/admin/alerts">
            <Icon name="alert" /> Sources and intake log
          </a>
        }
      />
      <Notice done={props.done} />
      <RefusalSummary refusal={props.refusal} />
      <div class="cols gap-top">
        <RuleList rules={props.rules} names={names} csrf={props.session.csrfToken} admin={admin} />
        {admin && <RuleForm {...props} />}
      </div>
      <HeldCard automated={props.automated} />
      <RuleTestCard rules={props.rules} csrf={props.session.csrfToken} test={props.test} values={props.testValues} />
    </Layout>
  );
}

function RuleList(props: { rules: RuleView[]; names: Map<string, string>; csrf: string; admin: boolean }) {
  return (
    <section class="card" aria-labelledby="rules-h">
      <div class="card-h">
        <h2 id="rules-h">Rules</h2>
        <p>{`${props.rules.filter((r) => r.enabled).length} on`}</p>
      </div>
      {props.rules.length === 0 ? (
        <p class="empty">No rules yet. Without one, alerts are logged and move nothing.</p>
      ) : (
        <ul class="list">
          {props.rules.map((rule) => (
            <li>
              <div class="row">
                <div class="grow">
                  <strong>{rule.name}</strong> <span class="role">{rule.enabled ? "on" : "off"}</span>
                  <div class="meta">
                    <code>{rule.matchers.join(", ") || "every alert"}</code>
                    {rule.source_ids ? ` from ${rule.source_ids.join(", ")}` : " from every source"}
                  </div>
                  <div class="meta">
                    {`→ ${rule.component_ids.map((id) => props.names.get(id) ?? id).join(", ")}`}
                    {` · critical: ${componentLook(rule.statuses.critical ?? "major_outage").label.toLowerCase()}`}
                    {rule.for_seconds > 0 ? ` · after ${rule.for_seconds} s firing` : " · at once"}
                    {rule.template_id ? ` · drafts from “${rule.template_id}”` : " · no draft"}
                    {rule.auto_publish_minutes ? ` · publishes itself after ${rule.auto_publish_minutes} min` : ""}
                  </div>
                </div>
                {props.admin && (
                  <div class="row">
                    <a class="btn btn-small" href={`/admin/alerts/rules?edit=${rule.id}#rule-form-h`}>
                      Edit
                    </a>
                    <PostForm
                      action={`/admin/alerts/rules/${rule.id}/delete`}
                      csrf={props.csrf}
                      confirm={`Delete “${rule.name}”? Components only it held go back to what they were.`}
                      label={`Delete ${rule.name}`}
                      ask="Delete…"
                    >
                      <button class="btn btn-small btn-danger" type="submit">
                        Yes, delete
                      </button>
                    </PostForm>
                  </div>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** What a field shows: what was just sent (a refused form), else the rule being edited, else the default. */
function shown(props: RulesScreenProps, field: string, fromRule: string): string {
  return props.values?.[field] ?? fromRule;
}

function RuleForm(props: RulesScreenProps) {
  const rule = props.editing;
  const refusal = props.refusal;
  const sent = props.values;
  const isChecked = (box: string, id: string, inRule: boolean) => (sent ? sent[`${box}${id}`] === "on" : inRule);
  const statuses = rule?.statuses ?? DEFAULT_STATUSES;
  return (
    <section class="card" aria-labelledby="rule-form-h">
      <div class="card-h">
        <h2 id="rule-form-h">{rule ? `Edit “${rule.name}”` : "Add a rule"}</h2>
      </div>
      <div class="card-b">
        <PostForm
          action={rule ? `/admin/alerts/rules/${rule.id}` : "/admin/alerts/rules"}
          csrf={props.session.csrfToken}
          label={rule ? "Edit the rule" : "Add a rule"}
        >
          <Field
            id="rule-name"
            label="Name"
            help="What people call it, e.g. “API errors”."
            errors={errorsFor(refusal, "name")}
          >
            {(aria) => (
              <input {...aria} type="text" name="name" value={shown(props, "name", rule?.name ?? "")} required />
            )}
          </Field>
          <Field
            id="rule-matchers"
            label="Matchers"
            help='One per line, in Alertmanager’s syntax: service="api", env=~"prod|eu", team!="infra". An alert must satisfy all of them.'
            errors={errorsFor(refusal, "matchers")}
          >
            {(aria) => (
              <textarea {...aria} name="matchers" rows={3} spellcheck={false}>
                {shown(props, "matchers", (rule?.matchers ?? []).join("\n"))}
              </textarea>
            )}
          </Field>
          <fieldset class="field" aria-describedby="rule-components-help">
            <legend>Components it moves</legend>
            {props.components.map((c) => (
              <label class="check" for={`rule-c-${c.id}`}>
                <input
                  type="checkbox"
                  id={`rule-c-${c.id}`}
                  name={`${COMPONENT_BOX}${c.id}`}
                  checked={isChecked(COMPONENT_BOX, c.id, rule?.component_ids.includes(c.id) ?? false)}
                />
                <span>{c.name}</span>
              </label>
            ))}
            {errorsFor(refusal, "component_ids").length > 0 && (
              <p class="error">{errorsFor(refusal, "component_ids").join("; ")}</p>
            )}
          </fieldset>
          <div class="field-row">
            {[...ALERT_SEVERITIES, "default" as const].map((severity) => (
              <SelectField
                id={`rule-status-${severity}`}
                label={severity === "default" ? "No severity" : `Severity ${severity}`}
                name={`${STATUS_SELECT}${severity}`}
                chosen={shown(props, `${STATUS_SELECT}${severity}`, statuses[severity])}
                choices={ALERT_COMPONENT_STATUSES.map((s) => [s, componentLook(s).label] as const)}
                errors={errorsFor(refusal, `statuses.${severity}`)}
              />
            ))}
          </div>
          {props.sources.length > 0 && (
            <fieldset class="field">
              <legend>Sources it listens to (none ticked: every source)</legend>
              {props.sources.map((s) => (
                <label class="check" for={`rule-s-${s.id}`}>
                  <input
                    type="checkbox"
                    id={`rule-s-${s.id}`}
                    name={`${SOURCE_BOX}${s.id}`}
                    checked={isChecked(SOURCE_BOX, s.id, rule?.source_ids?.includes(s.id) ?? false)}
                  />
                  <span>{s.name}</span>
                </label>
              ))}
            </fieldset>
          )}
          <Field
            id="rule-for"
            label="Keep firing for (seconds)"
            help="Flap damping: an alert counts only after firing this long. 0: at once."
            errors={errorsFor(refusal, "for_seconds")}
          >
            {(aria) => (
              <input
                {...aria}
                type="number"
                min="0"
                max="86400"
                name="for_seconds"
                value={shown(props, "for_seconds", String(rule?.for_seconds ?? 0))}
              />
            )}
          </Field>
          <SelectField
            id="rule-template"
            label="Draft the incident from"
            name="template_id"
            chosen={shown(props, "template_id", rule?.template_id ?? "")}
            choices={[
              ["", "No draft (move components only)"] as const,
              ...props.templates.map((t) => [t.id, t.name] as const),
            ]}
            help="A draft waits on the dashboard for a person to publish it."
            errors={errorsFor(refusal, "template_id")}
          />
          <Field
            id="rule-auto"
            label="Publish by itself after (minutes)"
            help="Empty (the default): only a person publishes."
            errors={errorsFor(refusal, "auto_publish_minutes")}
          >
            {(aria) => (
              <input
                {...aria}
                type="number"
                min="1"
                max="1440"
                name="auto_publish_minutes"
                value={shown(
                  props,
                  "auto_publish_minutes",
                  rule?.auto_publish_minutes ? String(rule.auto_publish_minutes) : "",
                )}
              />
            )}
          </Field>
          <Field id="rule-remind" label="Remind the team every (minutes)" errors={errorsFor(refusal, "remind_minutes")}>
            {(aria) => (
              <input
                {...aria}
                type="number"
                min="1"
                max="1440"
                name="remind_minutes"
                value={shown(props, "remind_minutes", String(rule?.remind_minutes ?? 10))}
              />
            )}
          </Field>
          <label class="check field" for="rule-enabled">
            <input
              type="checkbox"
              id="rule-enabled"
              name="enabled"
              checked={sent ? sent.enabled === "on" : (rule?.enabled ?? true)}
            />
            <span>On</span>
          </label>
          <div class="actions">
            <button class="btn btn-primary" type="submit">
              {rule ? (
                "Save rule"
              ) : (
                <>
                  <Icon name="plus" /> Add rule
                </>
              )}
            </button>
            {rule && (
              <a class="btn" href="/admin/alerts/rules">
                Cancel
              </a>
            )}
          </div>
        </PostForm>
      </div>
    </section>
  );
}
