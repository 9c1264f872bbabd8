import type { V2Incident } from "../../public/statuspage.ts";
import type { PageStatus } from "../../statuses.ts";

/** Everything a webhook payload shows, built once per event from the same serializers as /api/v2. */
export type WebhookEventView = {
  page: { id: string; name: string; url: string; status: PageStatus };
  /** The incident or maintenance exactly as v2 JSON shows it (updates newest first). */
  incident: V2Incident;
  /** The update this event is about (the newest one when the event names none), as plain text. */
  update: { status: string; text: string; displayAt: string } | null;
  /** A mail-subject-like label: `Identified`, `Resolved`, `Scheduled maintenance`, … */
  statusLabel: string;
  /** The affected components with their current status, for chat messages. */
  components: { name: string; status: string }[];
  links: { incident: string; unsubscribe: string; documentation: string };
};

const INCIDENT_LABELS: Record<string, string> = {
  investigating: "Investigating",
  identified: "Identified",
  monitoring: "Monitoring",
  resolved: "Resolved",
  postmortem: "Postmortem",
  scheduled: "Scheduled maintenance",
  in_progress: "Maintenance in progress",
  verifying: "Verifying maintenance",
  completed: "Maintenance completed",
};

export function statusLabel(status: string, kind: string): string {
  if (kind === "postmortem.published") return "Postmortem";
  if (kind === "incident.reopened") return "Reopened";
  if (kind === "maintenance.cancelled") return "Maintenance cancelled";
  if (kind === "maintenance.rescheduled") return "Maintenance rescheduled";
  if (kind === "maintenance.extended") return "Maintenance extended";
  if (kind === "maintenance.reminder") return "Maintenance soon";
  if (kind === "incident.update_overdue") return "Update overdue";
  return INCIDENT_LABELS[status] ?? status;
}

export const COMPONENT_STATUS_LABELS: Record<string, string> = {
  operational: "Operational",
  degraded_performance: "Degraded performance",
  partial_outage: "Partial outage",
  major_outage: "Major outage",
  under_maintenance: "Under maintenance",
};
