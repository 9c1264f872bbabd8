import type { AlertSourceKind } from "../../../db/enums.ts";
import { invalid } from "../../actions/errors.ts";
import type { IncomingAlert } from "../incoming.ts";
import { parseAlertmanager } from "./alertmanager.ts";
import { parseGeneric } from "./generic.ts";
import { parseGrafana } from "./grafana.ts";
import { parsePagerDuty } from "./pagerduty.ts";

/** What a delivery says, whatever its source: its alerts, the sender's own idempotency key, one line for the log. */
export type ParsedIntake = { alerts: IncomingAlert[]; idempotencyKey: string | null; summary: string };

/**
 * A source's payload (parsed JSON) as alerts, by the source's kind; throws the `invalid` problem (422, naming
 * the bad fields) on a payload that is not of its kind. Pure: the rule test (core/alerts/rules) parses a pasted
 * payload with it, the intake parses every delivery with it.
 */
export function parseIntake(kind: AlertSourceKind, body: unknown): ParsedIntake {
  switch (kind) {
    case "alertmanager":
      return counted(parseAlertmanager(body));
    case "grafana":
      return counted(parseGrafana(body));
    case "generic":
      return counted(parseGeneric(body));
    case "pagerduty": {
      const delivery = parsePagerDuty(body);
      return {
        alerts: delivery.alert ? [delivery.alert] : [],
        idempotencyKey: delivery.eventId,
        summary: delivery.alert
          ? `${delivery.eventType}: ${delivery.alert.summary}`
          : `${delivery.eventType}: not about an incident's state, no alert`,
      };
    }
    case "heartbeat":
      return { alerts: [], idempotencyKey: null, summary: "ping" };
    case "email":
      throw invalid("An email source receives mail, not HTTP deliveries.");
  }
}

/** "3 alerts (2 firing, 1 resolved)". */
export function alertsSummary(alerts: IncomingAlert[]): string {
  const firing = alerts.filter((alert) => alert.status === "firing").length;
  const resolved = alerts.length - firing;
  const parts = [firing > 0 ? `${firing} firing` : "", resolved > 0 ? `${resolved} resolved` : ""].filter(Boolean);
  return `${alerts.length} alert${alerts.length === 1 ? "" : "s"}${parts.length > 0 ? ` (${parts.join(", ")})` : ""}`;
}

function counted(alerts: IncomingAlert[]): ParsedIntake {
  return { alerts: deduplicated(alerts), idempotencyKey: null, summary: alertsSummary(alerts) };
}

/** One alert per fingerprint: the last one a delivery lists wins (an upsert batch must not touch a row twice). */
function deduplicated(alerts: IncomingAlert[]): IncomingAlert[] {
  return [...new Map(alerts.map((alert) => [alert.fingerprint, alert])).values()];
}
