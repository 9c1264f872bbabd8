import { z } from "zod";
import { parseInput } from "../../actions/validation.ts";
import type { IncomingAlert } from "../incoming.ts";
import {
  cleanAnnotations,
  cleanLabels,
  cleanText,
  cleanTime,
  cleanUrl,
  labelsFingerprint,
  severityOf,
} from "./text.ts";

/** The most alerts one delivery may carry (Alertmanager's `max_alerts` truncates well below this by default: 0 = all). */
export const MAX_ALERTS_PER_DELIVERY = 1000;

const stringMap = z.record(z.string(), z.unknown());

/** One alert of Alertmanager's webhook (v4); Grafana's alerts carry the same fields and a few more. */
export const alertmanagerAlert = z.looseObject({
  status: z.enum(["firing", "resolved"], { error: 'one of: "firing", "resolved"' }),
  labels: stringMap,
  annotations: stringMap.optional(),
  startsAt: z.string().optional(),
  endsAt: z.string().optional(),
  generatorURL: z.string().optional(),
  fingerprint: z.string().max(200).optional(),
});

/** Alertmanager's webhook payload, version 4 (prometheus.io/docs/alerting/latest/configuration/#webhook_config). */
export const alertmanagerPayload = z.looseObject({
  version: z.literal("4", { error: 'Alertmanager sends version "4"' }),
  status: z.enum(["firing", "resolved"]).optional(),
  receiver: z.string().optional(),
  groupKey: z.string().optional(),
  alerts: z.array(alertmanagerAlert).max(MAX_ALERTS_PER_DELIVERY),
  commonLabels: stringMap.optional(),
  commonAnnotations: stringMap.optional(),
  externalURL: z.string().optional(),
  truncatedAlerts: z.number().optional(),
});

export type AlertmanagerAlert = z.output<typeof alertmanagerAlert>;

/** One Alertmanager-shaped alert as Herald's `IncomingAlert`; `extra` annotations (Grafana's links) join its own. */
export function alertFromAlertmanager(alert: AlertmanagerAlert, extra: Record<string, unknown> = {}): IncomingAlert {
  const labels = cleanLabels(alert.labels);
  const annotations = cleanAnnotations({ ...extra, ...alert.annotations });
  const given = alert.fingerprint ? cleanText(alert.fingerprint, 200) : "";
  const summary = annotations.summary ?? annotations.description ?? labels.alertname ?? "";
  return {
    fingerprint: given || labelsFingerprint(labels),
    status: alert.status,
    severity: severityOf(labels.severity),
    summary: cleanText(summary.split("\n")[0] ?? "", 500) || "(no summary)",
    labels,
    annotations,
    url: cleanUrl(alert.generatorURL),
    startsAt: cleanTime(alert.startsAt),
  };
}

/** Every alert of an Alertmanager delivery (grouped: one delivery carries its group's firing and resolved alerts). */
export function parseAlertmanager(body: unknown): IncomingAlert[] {
  const payload = parseInput(alertmanagerPayload, body, "Alertmanager payload");
  return payload.alerts.map((alert) => alertFromAlertmanager(alert));
}
