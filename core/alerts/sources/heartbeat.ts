import type { IncomingAlert } from "../incoming.ts";

/** A heartbeat's one alert: fingerprint `heartbeat`, labelled with the source, firing while pings are missing. */
export function heartbeatAlert(
  source: { id: string; name: string; heartbeatMinutes: number | null },
  status: IncomingAlert["status"],
  lastPingAt: string | null,
): IncomingAlert {
  const period = source.heartbeatMinutes ?? 0;
  return {
    fingerprint: "heartbeat",
    status,
    severity: "critical",
    summary:
      status === "firing"
        ? `No ping from ${source.name} for ${period} minute${period === 1 ? "" : "s"}`
        : `${source.name} pinged again`,
    labels: { heartbeat: source.id, alertname: "heartbeat" },
    annotations: lastPingAt ? { last_ping_at: lastPingAt } : {},
    url: null,
    startsAt: null,
  };
}
