import { z } from "zod";
import { parseInput } from "../../actions/validation.ts";
import type { IncomingAlert } from "../incoming.ts";
import { cleanAnnotations, cleanLabels, cleanText, cleanTime, cleanUrl } from "./text.ts";

/** Incident events that say the incident is (still, or again) open: each updates the firing alert. */
const FIRING_EVENTS = new Set([
  "incident.triggered",
  "incident.acknowledged",
  "incident.unacknowledged",
  "incident.reopened",
  "incident.escalated",
  "incident.delegated",
  "incident.reassigned",
  "incident.priority_updated",
]);

const reference = z.looseObject({ id: z.string().optional(), summary: z.string().optional() }).nullable().optional();

const incidentData = z.looseObject({
  id: z.string().min(1).max(200),
  type: z.literal("incident"),
  html_url: z.string().optional(),
  number: z.number().optional(),
  status: z.string().optional(),
  incident_key: z.string().nullable().optional(),
  created_at: z.string().optional(),
  title: z.string().optional(),
  service: reference,
  priority: reference,
  urgency: z.string().nullable().optional(),
});

/** A PagerDuty v3 webhook delivery: one event (developer.pagerduty.com, "Webhooks v3"). */
export const pagerdutyPayload = z.looseObject({
  event: z.looseObject({
    id: z.string().min(1).max(200),
    event_type: z.string().min(1).max(100),
    resource_type: z.string().optional(),
    occurred_at: z.string().optional(),
    data: z.unknown(),
  }),
});

export type PagerDutyDelivery = {
  /** PagerDuty's event id: a redelivery of the same event is recognised by it. */
  eventId: string;
  eventType: string;
  /** The incident as an alert; null for an event that is not about an incident's state (a note, a service change). */
  alert: IncomingAlert | null;
};

export function parsePagerDuty(body: unknown): PagerDutyDelivery {
  const { event } = parseInput(pagerdutyPayload, body, "PagerDuty payload");
  const resolved = event.event_type === "incident.resolved";
  if (!resolved && !FIRING_EVENTS.has(event.event_type)) {
    return { eventId: event.id, eventType: event.event_type, alert: null };
  }
  const data = parseInput(incidentData, event.data, "PagerDuty incident");
  const labels = cleanLabels({
    source: "pagerduty",
    service_id: data.service?.id,
    service_name: data.service?.summary,
    urgency: data.urgency ?? undefined,
    priority: data.priority?.summary,
    incident_key: data.incident_key ?? undefined,
  });
  return {
    eventId: event.id,
    eventType: event.event_type,
    alert: {
      fingerprint: cleanText(data.id, 200),
      status: resolved || data.status === "resolved" ? "resolved" : "firing",
      severity: data.urgency === "high" ? "critical" : data.urgency === "low" ? "warning" : null,
      summary: cleanText(data.title ?? "", 500) || `PagerDuty incident ${data.number ?? data.id}`,
      labels,
      annotations: cleanAnnotations({
        pagerduty_event: event.event_type,
        incident_number: data.number,
        incident_status: data.status,
      }),
      url: cleanUrl(data.html_url),
      startsAt: cleanTime(data.created_at),
    },
  };
}
