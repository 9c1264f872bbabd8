import { z } from "zod";
import { ALERT_SEVERITIES, ALERT_STATUSES } from "../../../db/enums.ts";
import { parseInput } from "../../actions/validation.ts";
import type { IncomingAlert } from "../incoming.ts";
import { MAX_ALERTS_PER_DELIVERY } from "./alertmanager.ts";
import { cleanAnnotations, cleanLabels, cleanText, cleanTime, cleanUrl, labelsFingerprint } from "./text.ts";

/** Herald's own alert format, for scripts and anything without a format of its own (docs/alerts.md). */
export const genericAlert = z
  .object({
    fingerprint: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe("stable id of this alert within the source; default: derived from `labels`"),
    status: z.enum(ALERT_STATUSES),
    severity: z.enum(ALERT_SEVERITIES).optional(),
    summary: z.string().min(1).max(500).describe("one line for people"),
    labels: z.record(z.string(), z.string()).describe("what rules match, e.g. service=api"),
    annotations: z.record(z.string(), z.string()).optional(),
    url: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .optional()
      .describe("where the sender shows it"),
    starts_at: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();

export const genericPayload = z
  .object({ alerts: z.array(genericAlert).min(1).max(MAX_ALERTS_PER_DELIVERY) })
  .strict()
  .meta({
    examples: [
      {
        alerts: [
          {
            status: "firing",
            severity: "critical",
            summary: "API error rate above 5%",
            labels: { service: "api", env: "production" },
            annotations: { runbook: "https://wiki.example.com/runbooks/api-errors" },
            url: "https://grafana.example.com/d/api",
          },
        ],
      },
    ],
  });

export function parseGeneric(body: unknown): IncomingAlert[] {
  const payload = parseInput(genericPayload, body, "alert payload");
  return payload.alerts.map((alert) => {
    const labels = cleanLabels(alert.labels);
    return {
      fingerprint: alert.fingerprint
        ? cleanText(alert.fingerprint, 200) || labelsFingerprint(labels)
        : labelsFingerprint(labels),
      status: alert.status,
      severity: alert.severity ?? null,
      summary: cleanText(alert.summary, 500) || "(no summary)",
      labels,
      annotations: cleanAnnotations(alert.annotations),
      url: cleanUrl(alert.url),
      startsAt: cleanTime(alert.starts_at),
    };
  });
}
