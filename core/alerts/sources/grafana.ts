import { z } from "zod";
import { parseInput } from "../../actions/validation.ts";
import type { IncomingAlert } from "../incoming.ts";
import { alertFromAlertmanager, alertmanagerAlert, MAX_ALERTS_PER_DELIVERY } from "./alertmanager.ts";

/** A Grafana alert: Alertmanager's fields plus its links and the values that triggered it. */
const grafanaAlert = alertmanagerAlert.extend({
  silenceURL: z.string().optional(),
  dashboardURL: z.string().optional(),
  panelURL: z.string().optional(),
  imageURL: z.string().optional(),
  values: z.record(z.string(), z.unknown()).nullable().optional(),
  valueString: z.string().optional(),
});

/** Grafana alerting's webhook contact point payload (version "1"): Alertmanager-compatible, with extras. */
export const grafanaPayload = z.looseObject({
  version: z.literal("1", { error: 'Grafana alerting sends version "1"' }),
  status: z.enum(["firing", "resolved"]).optional(),
  orgId: z.number().optional(),
  alerts: z.array(grafanaAlert).max(MAX_ALERTS_PER_DELIVERY),
  title: z.string().optional(),
  state: z.string().optional(),
  message: z.string().optional(),
});

/** Grafana's extras kept as annotations, so the console shows the links and values beside the alert. */
function extrasOf(alert: z.output<typeof grafanaAlert>, orgId: number | undefined): Record<string, unknown> {
  const values = alert.values
    ? Object.entries(alert.values)
        .map(([name, value]) => `${name}=${typeof value === "number" ? value : JSON.stringify(value)}`)
        .join(", ")
    : alert.valueString;
  const extras: Record<string, unknown> = {
    silence_url: alert.silenceURL,
    dashboard_url: alert.dashboardURL,
    panel_url: alert.panelURL,
    image_url: alert.imageURL,
    values,
    org_id: orgId,
  };
  return Object.fromEntries(Object.entries(extras).filter(([, value]) => value !== undefined && value !== ""));
}

export function parseGrafana(body: unknown): IncomingAlert[] {
  const payload = parseInput(grafanaPayload, body, "Grafana payload");
  return payload.alerts.map((alert) => alertFromAlertmanager(alert, extrasOf(alert, payload.orgId)));
}
