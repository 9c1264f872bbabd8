/** @jsxImportSource hono/jsx */
import type { RuleView } from "../../../core/alerts/rules/rule-view.ts";
import type { RuleTest } from "../../../core/alerts/rules/test-rule.ts";
import { componentLook } from "../../../core/presentation/status.ts";
import { errorsFor, Field, type FormValues, PostForm, type Refusal, RefusalSummary, SelectField } from "../ui/form.tsx";
import { ComponentStatusBadge } from "../ui/status.tsx";
import { Time } from "../ui/time.tsx";

const KINDS = [
  ["alertmanager", "Prometheus Alertmanager webhook"],
  ["grafana", "Grafana webhook"],
  ["pagerduty", "PagerDuty v3 webhook"],
  ["generic", "Generic JSON"],
] as const;

/** "Test against a pasted payload": what a rule would do now, by the evaluation's own plan, changing nothing. */
export function RuleTestCard(props: {
  rules: RuleView[];
  csrf: string;
  test: { result: RuleTest } | { refusal: Refusal } | undefined;
  values: FormValues;
}) {
  const refusal = props.test && "refusal" in props.test ? props.test.refusal : undefined;
  return (
    <section class="card gap-top" aria-labelledby="rule-test-h">
      <div class="card-h">
        <h2 id="rule-test-h">Test a rule against a pasted payload</h2>
        <p>Changes nothing</p>
      </div>
      <div class="card-b">
        {props.rules.length === 0 ? (
          <p class="empty">Add a rule first.</p>
        ) : (
          <PostForm action="/admin/alerts/rules/test" csrf={props.csrf} label="Test a rule">
            <div class="field-row">
              <SelectField
                id="test-rule"
                label="Rule"
                name="rule_id"
                chosen={props.values.rule_id ?? props.rules[0]?.id ?? ""}
                choices={props.rules.map((r) => [r.id, r.name] as const)}
                errors={errorsFor(refusal, "rule_id")}
              />
              <SelectField
                id="test-kind"
                label="Payload format"
                name="kind"
                chosen={props.values.kind ?? "alertmanager"}
                choices={KINDS}
                errors={errorsFor(refusal, "kind")}
              />
            </div>
            <Field
              id="test-payload"
              label="Payload"
              help="Paste what the sender posts, e.g. Alertmanager’s webhook body."
              errors={errorsFor(refusal, "payload")}
            >
              {(aria) => (
                <textarea {...aria} name="payload" rows={8} spellcheck={false} class="mono">
                  {props.values.payload ?? ""}
                </textarea>
              )}
            </Field>
            <button class="btn btn-primary" type="submit">
              Show what it would do
            </button>
          </PostForm>
        )}
        {refusal && <RefusalSummary refusal={refusal} />}
        {props.test && "result" in props.test && <TestResult test={props.test.result} />}
      </div>
    </section>
  );
}

function TestResult(props: { test: RuleTest }) {
  const { test } = props;
  return (
    <div class="gap-top" id="rule-test-result" aria-live="polite">
      <h3>
        {"What it would do, as of "}
        <Time at={test.applies_at} />
      </h3>
      <ul class="list">
        {test.alerts.map((alert) => (
          <li>
            <strong>{alert.summary || alert.fingerprint}</strong> <span class="role">{alert.status}</span>
            <div class="meta">
              {alert.matched ? "matches" : "does not match"}
              {alert.counts_at && (
                <>
                  {", counts from "}
                  <Time at={alert.counts_at} />
                </>
              )}
            </div>
          </li>
        ))}
        {test.components.map((c) => (
          <li>
            <div class="row">
              <div class="grow">
                <strong>{c.name}</strong>
                <div class="meta">{`${c.action === "none" ? "unchanged" : c.action}: ${c.reason}`}</div>
              </div>
              <ComponentStatusBadge status={c.from} />
              {c.to && (
                <>
                  <span aria-hidden="true">→</span>
                  <span class="visually-hidden">to</span>
                  <ComponentStatusBadge status={c.to} />
                </>
              )}
            </div>
          </li>
        ))}
        <li>
          <div class="meta">
            {test.draft.action === "create"
              ? `Drafts “${test.draft.name ?? ""}” for ${Object.entries(test.draft.components)
                  .map(([, s]) => componentLook(s).label.toLowerCase())
                  .join(", ")}, waiting for a person to publish it.`
              : test.draft.action === "attach"
                ? "Adds the alerts to the rule’s waiting draft."
                : "Drafts nothing."}
          </div>
        </li>
      </ul>
    </div>
  );
}
