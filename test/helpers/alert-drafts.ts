import { newId } from "../../core/model/ids.ts";
import type { ComponentStatus } from "../../core/model/statuses.ts";
import type { Db } from "../../db/client.ts";
import { alertDraftAlerts, alertDrafts, alertRules, alertSources, alerts, apiTokens } from "../../db/schema.ts";

/**
 * A waiting draft as slice B's evaluation makes one (docs/alerts.md, Drafts): a rule with a template, its
 * firing alerts attached, `remind_at` = now, `auto_publish_at` = now + the rule's minutes when set.
 * TODO: drive these tests from the real intake and evaluation once branches alert-intake and alert-engine land.
 */
export type DraftSeed = {
  name?: string;
  body?: string;
  components: Record<string, ComponentStatus>;
  alerts?: { summary: string; labels: Record<string, string>; severity?: "critical" | "warning" | "info" | null }[];
  remindMinutes?: number;
  autoPublishMinutes?: number | null;
};

export async function insertWaitingDraft(db: Db, now: Date, seed: DraftSeed): Promise<{ id: string; ruleId: string }> {
  const at = now.toISOString();
  const sourceId = `prometheus-${newId().slice(0, 6)}`;
  const tokenId = newId();
  const ruleId = newId();
  const id = newId();
  const given = seed.alerts ?? [
    {
      summary: "High request latency on api",
      labels: { alertname: "HighLatency", service: "api", severity: "critical" },
      severity: "critical" as const,
    },
  ];
  const alertRows = given.map((a, i) => ({
    id: newId(),
    sourceId,
    fingerprint: `fp${i}${newId().slice(0, 8)}`,
    status: "firing" as const,
    severity: a.severity ?? null,
    summary: a.summary,
    labels: a.labels,
    annotations: { summary: a.summary },
    url: "http://prometheus.example.com/graph",
    startsAt: at,
    firingSince: at,
    resolvedAt: null,
    firstReceivedAt: at,
    lastReceivedAt: at,
  }));
  await db.batch([
    db.insert(apiTokens).values({ id: tokenId, name: sourceId, role: "automation", tokenHash: newId(), createdAt: at }),
    db.insert(alertSources).values({
      id: sourceId,
      name: "Prometheus",
      kind: "alertmanager",
      tokenId,
      createdAt: at,
      updatedAt: at,
    }),
    db.insert(alerts).values(alertRows),
    db.insert(alertRules).values({
      id: ruleId,
      name: "API latency",
      position: 0,
      matchers: ['service="api"'],
      sourceIds: [],
      componentIds: Object.keys(seed.components),
      statuses: {
        critical: "major_outage",
        warning: "partial_outage",
        info: "degraded_performance",
        default: "partial_outage",
      },
      forSeconds: 0,
      templateId: "partial-outage",
      autoPublishMinutes: seed.autoPublishMinutes ?? null,
      remindMinutes: seed.remindMinutes ?? 10,
      createdAt: at,
      updatedAt: at,
    }),
    db.insert(alertDrafts).values({
      id,
      ruleId,
      state: "waiting",
      templateId: "partial-outage",
      name: seed.name ?? "API is partially unavailable",
      status: "investigating",
      body: seed.body ?? "We are investigating errors on the **API**.",
      impact: null,
      components: seed.components,
      nextUpdateInMinutes: 30,
      createdAt: at,
      updatedAt: at,
      remindAt: at,
      autoPublishAt:
        seed.autoPublishMinutes != null
          ? new Date(now.getTime() + seed.autoPublishMinutes * 60_000).toISOString()
          : null,
    }),
    db.insert(alertDraftAlerts).values(alertRows.map((a) => ({ draftId: id, alertId: a.id }))),
  ]);
  return { id, ruleId };
}
