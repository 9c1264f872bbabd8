import type { ComponentStatus } from "../../core/model/statuses.ts";
import type { Random } from "../helpers/prng.ts";
import type { ActionResult, Finding } from "./actions.ts";
import type { ConsistencyHerald } from "./herald.ts";
import type { Model } from "./model.ts";

/**
 * The alert automation in the consistency check: a component only alerts move (no other action picks it), a
 * generic source and a rule on it. The model predicts its status from the documented rules (docs/alerts.md):
 * the worst status the firing alerts ask for by severity, operational when none fires.
 */
export type AlertedComponent = {
  componentId: string;
  token: string;
  /** Firing alerts: fingerprint → severity (null: none). */
  firing: Map<string, Severity>;
};

type Severity = "critical" | "warning" | "info" | null;

const SOURCE = "consistency-scripts";
const STATUS_OF: Record<Exclude<Severity, null> | "default", ComponentStatus> = {
  critical: "major_outage",
  warning: "partial_outage",
  info: "degraded_performance",
  default: "partial_outage",
};
const RANK: ComponentStatus[] = [
  "operational",
  "under_maintenance",
  "degraded_performance",
  "partial_outage",
  "major_outage",
];

export async function setUpAlerts(h: ConsistencyHerald): Promise<AlertedComponent> {
  const component = await h.api<{ id: string }>("POST", "/api/components", { name: "Alerted service" });
  const source = await h.api<{ token: string }>("POST", "/api/alert-sources", {
    name: "Scripts",
    kind: "generic",
    id: SOURCE,
  });
  const rule = await h.api("POST", "/api/alert-rules", {
    name: "Alerted service",
    matchers: ['service="alerted"'],
    component_ids: [component.body.id],
  });
  if (component.status !== 201 || source.status !== 201 || rule.status !== 201) {
    throw new Error(`could not set up the alert automation: ${JSON.stringify([component, source, rule])}`);
  }
  return { componentId: component.body.id, token: source.body.token, firing: new Map() };
}

/** What the model says the alerted component's status is. */
export function expectedAlertedStatus(alerted: AlertedComponent): ComponentStatus {
  let worst: ComponentStatus = "operational";
  for (const severity of alerted.firing.values()) {
    const status = STATUS_OF[severity ?? "default"];
    if (RANK.indexOf(status) > RANK.indexOf(worst)) worst = status;
  }
  return worst;
}

async function deliver(
  h: ConsistencyHerald,
  alerted: AlertedComponent,
  fingerprint: string,
  status: string,
  severity: Severity,
) {
  const response = await fetch(`${h.url}/api/intake/${SOURCE}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${alerted.token}`, "Content-Type": "application/json" },
    body: JSON.stringify({
      alerts: [
        {
          fingerprint,
          status,
          ...(severity ? { severity } : {}),
          summary: `Alert ${fingerprint}`,
          labels: { service: "alerted" },
        },
      ],
    }),
  });
  await response.text();
  return response.status;
}

const FINGERPRINTS = ["errors", "latency", "down"];
const SEVERITIES: Severity[] = ["critical", "warning", "info", null];

/** An alert fires (a new one, a repeat, or a change of severity) through the generic intake. */
export async function alertFires(c: { h: ConsistencyHerald; model: Model; rnd: Random }): Promise<ActionResult | null> {
  const alerted = c.model.alerted;
  if (!alerted) return null;
  const fingerprint = c.rnd.pick(FINGERPRINTS);
  const severity = c.rnd.pick(SEVERITIES);
  const status = await deliver(c.h, alerted, fingerprint, "firing", severity);
  if (status === 202) alerted.firing.set(fingerprint, severity);
  const findings: Finding[] = status === 202 ? [] : [{ check: "accepted", detail: `the alert was answered ${status}` }];
  return { name: "alert-fires", detail: `${fingerprint} ${severity ?? "(no severity)"}`, findings };
}

/** A firing alert resolves. */
export async function alertResolves(c: {
  h: ConsistencyHerald;
  model: Model;
  rnd: Random;
}): Promise<ActionResult | null> {
  const alerted = c.model.alerted;
  if (!alerted || alerted.firing.size === 0) return null;
  const fingerprint = c.rnd.pick([...alerted.firing.keys()]);
  const status = await deliver(c.h, alerted, fingerprint, "resolved", null);
  if (status === 202) alerted.firing.delete(fingerprint);
  const findings: Finding[] =
    status === 202 ? [] : [{ check: "accepted", detail: `the resolve was answered ${status}` }];
  return { name: "alert-resolves", detail: fingerprint, findings };
}

/** The alerted component as the database and the public JSON show it, against the model. */
export async function checkAlerted(h: ConsistencyHerald, model: Model): Promise<Finding[]> {
  const alerted = model.alerted;
  if (!alerted) return [];
  const expected = expectedAlertedStatus(alerted);
  const summary = await h.get("/api/v2/summary.json");
  const shown = (JSON.parse(summary.text) as { components: { id: string; status: string }[] }).components.find(
    (c) => c.id === alerted.componentId,
  )?.status;
  if (shown === expected) return [];
  return [
    {
      check: "alerts",
      detail: `the alerted component shows ${shown}, the model expects ${expected} (firing: ${JSON.stringify([...alerted.firing])})`,
    },
  ];
}
