import type { AlertSourceKind } from "../../../db/enums.ts";

/**
 * What to paste into the sender, shown once with the new token (the console, the CLI): an Alertmanager
 * receiver, Grafana's contact point settings, PagerDuty's v3 webhook subscription, a curl for scripts, a cron
 * line for a heartbeat. docs/alerts.md explains each.
 */
export function senderConfig(
  source: { kind: AlertSourceKind; name: string; heartbeat_minutes: number | null },
  intakeUrl: string,
  token: string,
): string {
  switch (source.kind) {
    case "alertmanager":
      return [
        "# alertmanager.yml",
        "receivers:",
        "  - name: herald",
        "    webhook_configs:",
        `      - url: ${intakeUrl}`,
        "        send_resolved: true",
        "        http_config:",
        "          authorization:",
        "            type: Bearer",
        `            credentials: ${token}`,
      ].join("\n");
    case "grafana":
      return [
        "Grafana: Alerting → Contact points → + Add contact point → Integration: Webhook",
        `  URL: ${intakeUrl}`,
        "  HTTP Method: POST",
        "  Optional settings → Authentication Header Scheme: Bearer",
        `  Optional settings → Authentication Header Credentials: ${token}`,
      ].join("\n");
    case "pagerduty":
      return [
        "# PagerDuty: Integrations → Generic Webhooks (v3) → New Webhook, or POST https://api.pagerduty.com/webhook_subscriptions:",
        JSON.stringify(
          {
            webhook_subscription: {
              type: "webhook_subscription",
              delivery_method: {
                type: "http_delivery_method",
                url: intakeUrl,
                custom_headers: [{ name: "Authorization", value: `Bearer ${token}` }],
              },
              description: "Herald status page",
              events: [
                "incident.triggered",
                "incident.acknowledged",
                "incident.unacknowledged",
                "incident.reopened",
                "incident.escalated",
                "incident.priority_updated",
                "incident.resolved",
              ],
              filter: { type: "account_reference" },
            },
          },
          null,
          2,
        ),
        "# Then give this source PagerDuty's signing secret (it was set when the source was created).",
      ].join("\n");
    case "generic":
      return [
        `curl -X POST ${intakeUrl} \\`,
        `  -H 'Authorization: Bearer ${token}' \\`,
        "  -H 'Content-Type: application/json' \\",
        `  -d '{"alerts":[{"status":"firing","severity":"critical","summary":"API error rate above 5%","labels":{"service":"api"}}]}'`,
      ].join("\n");
    case "heartbeat":
      return [
        `# crontab: ping at least every ${source.heartbeat_minutes ?? 1} minute(s); a missing ping raises the alert`,
        `*/${Math.max(1, Math.min(59, Math.floor((source.heartbeat_minutes ?? 2) / 2)))} * * * * curl -fsS -m 10 -H 'Authorization: Bearer ${token}' ${intakeUrl} > /dev/null`,
      ].join("\n");
    case "email":
      return "Email sources receive mail; no HTTP configuration.";
  }
}
