import { type NotificationKind, PERSONAL_KINDS, TEAM_KINDS } from "../../../core/notifications/kinds.ts";

/** What each notification told, in the commander's words. */
const LABELS: Record<NotificationKind, string> = {
  "incident.opened": "Incident opened",
  "incident.updated": "Incident update",
  "incident.resolved": "Incident resolved",
  "incident.update_overdue": "Overdue-update reminder",
  "postmortem.published": "Postmortem published",
  "maintenance.scheduled": "Maintenance scheduled",
  "maintenance.rescheduled": "Maintenance rescheduled",
  "maintenance.reminder": "Maintenance reminder",
  "maintenance.started": "Maintenance started",
  "maintenance.updated": "Maintenance update",
  "maintenance.completed": "Maintenance completed",
  "maintenance.cancelled": "Maintenance cancelled",
  "subscription.confirm": "Subscription confirmation",
  "webhook.disabled": "Webhook disabled notice",
};

export function notificationLabel(kind: string): string {
  return LABELS[kind as NotificationKind] ?? kind;
}

/** Who an event goes to: the team (overdue reminders), one person, or the matching subscribers. */
export function audienceOf(kind: string): string {
  if (TEAM_KINDS.some((k) => k === kind)) return "the team";
  if (PERSONAL_KINDS.some((k) => k === kind)) return "one subscriber";
  return "subscribers";
}
