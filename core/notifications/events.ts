// Over 300 lines on purpose: every event kind's contract (audience, channels, subject) reads best side by side in one table.
import { WEBHOOK_FORMATS, type WebhookFormat } from "../webhook-subscribers/schemas.ts";

/**
 * Who an event may reach. `public`: subscribers (mail and webhooks) whose scope takes it. `team`: only
 * team destinations (the team address, webhooks an admin marked as the team's own), never a subscriber.
 * `personal`: the one recipient the event names (a confirmation, a webhook owner's notice), by mail.
 */
export type Audience = "public" | "team" | "personal";

/** What a subject or label reads; the mail's view and the webhook's both provide it. */
export type EventFacts = {
  page: string;
  /** The incident or maintenance the event is about. */
  incident: string | null;
  /** The label of the status the event's update set ("Identified"), else the incident's. */
  status: string | null;
  /** The host of the webhook a personal event is about. */
  webhookHost: string | null;
  /** The component a deprecation or sunset event is about. */
  component?: string | null | undefined;
};

export type EventContract = {
  audience: Audience;
  /** The channels it may use: mail, and which webhook formats. */
  channels: { email: boolean; webhook: readonly WebhookFormat[] };
  /** A mail about it joins the incident's thread (answers the incident's first public mail). */
  threads: boolean;
  /** The webhook payload's event type and what it means, for the OpenAPI document; null: never POSTed. */
  webhookEvent: { type: string; documentation: string } | null;
  /** What it told, in the team's words, for the console's delivery log ("Incident opened"). */
  description: string;
  /** The short label chat formats show ("Identified", "Maintenance reminder"). */
  label(facts: EventFacts): string;
  /** The mail subject, and the chat formats' title. */
  subject(facts: EventFacts): string;
  /**
   * A team kind whose addressed copies may also go to a person's own mail row (an admin's), not only to the
   * team address; its mail view checks, when built, that the person still qualifies (not removed, still admin).
   */
  addressesPeople?: true;
  /**
   * Only subscribers whose subscription names one of the event's components (or its group): never a
   * whole-page subscriber, who reads it on the page instead (a component's deprecation and sunset).
   */
  namedOnly?: true;
};

const EVERY_CHANNEL = { email: true, webhook: WEBHOOK_FORMATS } as const;
const MAIL_ONLY = { email: true, webhook: [] } as const;

/** A public event about one component's retirement (docs/inventory.md, Sunsetting): told to those who named it. */
function componentEvent(type: string, description: string, label: string, documentation: string): EventContract {
  return {
    audience: "public",
    channels: EVERY_CHANNEL,
    threads: false,
    webhookEvent: { type, documentation },
    description,
    label: () => label,
    subject: (facts) => `[${label}] ${facts.component ?? ""}`,
    namedOnly: true,
  };
}

/** A public event about an incident or maintenance: "[label] name" everywhere, threaded under the first mail. */
function incidentEvent(
  type: string,
  description: string,
  label: (facts: EventFacts) => string,
  documentation: string,
): EventContract {
  return {
    audience: "public",
    channels: EVERY_CHANNEL,
    threads: true,
    webhookEvent: { type, documentation },
    description,
    label,
    subject: (facts) => `[${label(facts)}] ${facts.incident ?? ""}`,
  };
}

const fixed = (text: string) => () => text;
const updateStatus = (facts: EventFacts) => facts.status ?? "Update";

/**
 * Every notification event kind, declared once: fan-out, the sender, the mail builder and the webhook
 * payloads read only this. A component status change without an incident is not an event: it shows on
 * the page, feeds and v2 JSON, and subscribers are told through an incident, which says why.
 */
export const EVENTS = {
  "incident.opened": incidentEvent(
    "incident.opened",
    "Incident opened",
    updateStatus,
    "An incident was opened; `incident_update_id` names its first update.",
  ),
  "incident.updated": incidentEvent(
    "incident.updated",
    "Incident update",
    updateStatus,
    "An update was posted to an open incident.",
  ),
  "incident.resolved": incidentEvent(
    "incident.resolved",
    "Incident resolved",
    fixed("Resolved"),
    "The incident was resolved.",
  ),
  /** A resolved incident reopened by the reopen action (an update to a resolved incident is refused). */
  "incident.reopened": incidentEvent(
    "incident.reopened",
    "Incident reopened",
    fixed("Reopened"),
    "A resolved incident was reopened (`POST /api/incidents/{id}/reopen`).",
  ),
  /** An update promised by "Next update by" is overdue: the team's reminder, never a subscriber's. */
  "incident.update_overdue": {
    audience: "team",
    channels: EVERY_CHANNEL,
    threads: false,
    webhookEvent: {
      type: "incident.update_overdue",
      documentation:
        "The update promised by `next_update_due_at` is overdue. Sent only to the team's own webhooks: nothing was published.",
    },
    description: "Overdue-update reminder",
    label: fixed("Update overdue"),
    subject: (facts) => `[Update overdue] ${facts.incident ?? ""}`,
  },
  /**
   * A lapsed promise escalated to one person (the commander, or a person of the escalation policy's level):
   * personal, by mail; the mail says who was told before (docs/team.md, Escalation).
   */
  "incident.escalated": {
    audience: "personal",
    channels: MAIL_ONLY,
    threads: false,
    webhookEvent: null,
    description: "Escalation of an overdue update",
    label: fixed("Update overdue"),
    subject: (facts) => `[Escalated: update overdue] ${facts.incident ?? ""}`,
  },
  /** A draft incident from alerts waits for a person to publish it: the team's first notice, never a subscriber's. */
  "alert.draft_waiting": {
    audience: "team",
    channels: EVERY_CHANNEL,
    threads: false,
    webhookEvent: {
      type: "alert.draft_waiting",
      documentation:
        "Alerts drafted an incident that waits for a person to publish it (docs/alerts.md, Drafts). Sent only to the team's own webhooks: nothing was published.",
    },
    description: "Draft incident waiting",
    label: fixed("Draft waiting"),
    subject: (facts) => `[Draft waiting] ${facts.incident ?? ""}`,
  },
  /** The same draft still waits: the team's reminder (at most three), never a subscriber's. */
  "alert.draft_reminder": {
    audience: "team",
    channels: EVERY_CHANNEL,
    threads: false,
    webhookEvent: {
      type: "alert.draft_reminder",
      documentation:
        "A drafted incident still waits for a person; `herald.waiting_minutes` says for how long. Sent only to the team's own webhooks.",
    },
    description: "Draft incident reminder",
    label: fixed("Draft still waiting"),
    subject: (facts) => `[Draft still waiting] ${facts.incident ?? ""}`,
  },
  /**
   * A waiting draft escalated to one person of the escalation policy's level: personal, by mail; the mail says
   * who was told before (docs/alerts.md, Drafts). The level's team channels get `alert.draft_reminder`.
   */
  "alert.draft_escalated": {
    audience: "personal",
    channels: MAIL_ONLY,
    threads: false,
    webhookEvent: null,
    description: "Escalation of a waiting draft",
    label: fixed("Draft still waiting"),
    subject: (facts) => `[Escalated: draft waiting] ${facts.incident ?? ""}`,
  },
  "postmortem.published": incidentEvent(
    "postmortem.published",
    "Postmortem published",
    fixed("Postmortem"),
    "The incident's postmortem was published; its text is in `herald.postmortem`.",
  ),
  "maintenance.scheduled": incidentEvent(
    "maintenance.scheduled",
    "Maintenance scheduled",
    fixed("Scheduled maintenance"),
    "A maintenance was scheduled.",
  ),
  "maintenance.rescheduled": incidentEvent(
    "maintenance.rescheduled",
    "Maintenance rescheduled",
    fixed("Rescheduled maintenance"),
    "The maintenance window moved (`scheduled_for`, `scheduled_until`).",
  ),
  "maintenance.reminder": incidentEvent(
    "maintenance.reminder",
    "Maintenance reminder",
    fixed("Maintenance reminder"),
    "A reminder ahead of a scheduled maintenance's start; nothing changed.",
  ),
  "maintenance.started": incidentEvent(
    "maintenance.started",
    "Maintenance started",
    fixed("Maintenance in progress"),
    "The maintenance began.",
  ),
  "maintenance.updated": incidentEvent(
    "maintenance.updated",
    "Maintenance update",
    fixed("Maintenance update"),
    "An update was posted to a maintenance in progress.",
  ),
  /** A running maintenance's window end moved later. */
  "maintenance.extended": incidentEvent(
    "maintenance.extended",
    "Maintenance extended",
    fixed("Maintenance extended"),
    "A running maintenance's end moved later (`scheduled_until`).",
  ),
  "maintenance.completed": incidentEvent(
    "maintenance.completed",
    "Maintenance completed",
    fixed("Maintenance completed"),
    "The maintenance was completed.",
  ),
  "maintenance.cancelled": incidentEvent(
    "maintenance.cancelled",
    "Maintenance cancelled",
    fixed("Maintenance cancelled"),
    "The maintenance was cancelled before it began.",
  ),
  /**
   * The weekly reliability review (core/review/weekly/): by mail to the team address and each admin, and to the
   * team's own webhooks (the week's unaddressed claim event); never a subscriber. Its ids derive from the ISO week.
   */
  "review.weekly": {
    audience: "team",
    channels: EVERY_CHANNEL,
    threads: false,
    webhookEvent: {
      type: "review.weekly",
      documentation:
        "The week's reliability review (docs/operations.md, the weekly review mail): its figures against the week before, the worst incidents and what is due. Sent only to the team's own webhooks.",
    },
    description: "Weekly reliability review",
    label: fixed("Weekly review"),
    subject: (facts) => `[Weekly review] ${facts.page}${facts.incident ? `: ${facts.incident}` : ""}`,
    addressesPeople: true,
  },
  "component.deprecated": componentEvent(
    "component.deprecated",
    "Component deprecated",
    "Deprecated",
    "A component was deprecated: it leaves the page at `herald.component.sunset_at`; `herald.component.message` says what to do.",
  ),
  "component.sunset_reminder": componentEvent(
    "component.sunset_reminder",
    "Component sunset reminder",
    "Leaving soon",
    "A reminder ahead of a deprecated component's sunset date; nothing changed.",
  ),
  "component.sunset": componentEvent(
    "component.sunset",
    "Component sunset",
    "Sunset",
    "The component left the page. `herald.subscription_ended` is true when this webhook's subscription named only it and has now ended.",
  ),
  /** The double opt-in mail, to one subscriber while it is still unconfirmed (a webhook's: to its owner). */
  "subscription.confirm": {
    audience: "personal",
    channels: MAIL_ONLY,
    threads: false,
    webhookEvent: null,
    description: "Subscription confirmation",
    label: fixed("Confirm your subscription"),
    subject: (facts) => `Confirm your subscription to ${facts.page}`,
  },
  /** An invitation to the team, mailed to the invited address (core/people/: the mail carries the link). */
  "person.invitation": {
    audience: "personal",
    channels: MAIL_ONLY,
    threads: false,
    webhookEvent: null,
    description: "Invitation to the team",
    label: fixed("Invitation"),
    subject: (facts) => `You are invited to the ${facts.page} team`,
  },
  /** A single-use sign-in link, mailed to a person of the team who asked for it. */
  "person.sign_in_link": {
    audience: "personal",
    channels: MAIL_ONLY,
    threads: false,
    webhookEvent: null,
    description: "Sign-in link",
    label: fixed("Sign-in link"),
    subject: (facts) => `Sign in to ${facts.page}`,
  },
  /** Told to a webhook's owner by mail when sustained failure disabled it. */
  "webhook.disabled": {
    audience: "personal",
    channels: MAIL_ONLY,
    threads: false,
    webhookEvent: null,
    description: "Webhook disabled notice",
    label: fixed("Webhook disabled"),
    subject: (facts) => `Your webhook to ${facts.webhookHost ?? ""} was disabled`,
  },
} as const satisfies Record<string, EventContract>;

export type NotificationKind = keyof typeof EVENTS;

export const NOTIFICATION_KINDS: NotificationKind[] = Object.keys(EVENTS).filter(isNotificationKind);

/**
 * The kinds whose mail `loadMailView` builds from templates/email; a person's link (`person.*`) is built by
 * core/people/person-mail.ts, which derives the link again from the row id.
 */
export const TEMPLATED_KINDS: NotificationKind[] = NOTIFICATION_KINDS.filter((kind) => !kind.startsWith("person."));

export function isNotificationKind(kind: string): kind is NotificationKind {
  return Object.hasOwn(EVENTS, kind);
}

/** The contract of a stored event's kind; an unknown kind (a newer Herald's) reaches no one. */
export function eventContract(kind: string): EventContract | null {
  return isNotificationKind(kind) ? EVENTS[kind] : null;
}
