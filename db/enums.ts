/**
 * The closed sets of values the schema's status, impact, state, kind, format and role columns hold: one
 * list each, typing the columns here (no SQL change: an enum on a SQLite text column is type-only) and
 * re-exported by core (core/model/statuses.ts and the folders that own them).
 */

export const INCIDENT_KINDS = ["incident", "maintenance"] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

/** Ordered from least to most severe. */
export const COMPONENT_STATUSES = [
  "operational",
  "under_maintenance",
  "degraded_performance",
  "partial_outage",
  "major_outage",
] as const;
export type ComponentStatus = (typeof COMPONENT_STATUSES)[number];

export const INCIDENT_STATUSES = ["investigating", "identified", "monitoring", "resolved", "postmortem"] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export const MAINTENANCE_STATUSES = ["scheduled", "in_progress", "verifying", "completed"] as const;
export type MaintenanceStatus = (typeof MAINTENANCE_STATUSES)[number];

/** An incident's or update's status: an incident's statuses, then a maintenance's. */
export const UPDATE_STATUSES = [...INCIDENT_STATUSES, ...MAINTENANCE_STATUSES] as const;
export type UpdateStatus = (typeof UPDATE_STATUSES)[number];

/** Ordered from least to most severe. */
export const IMPACTS = ["none", "maintenance", "minor", "major", "critical"] as const;
export type Impact = (typeof IMPACTS)[number];

export const TOKEN_ROLES = ["admin", "commander", "viewer", "automation"] as const;
export type TokenRole = (typeof TOKEN_ROLES)[number];

/** The roles a person's (or a script's) token may have; `automation` belongs to an alert source's own token only. */
export const PERSON_TOKEN_ROLES = ["admin", "commander", "viewer"] as const;
export type PersonTokenRole = (typeof PERSON_TOKEN_ROLES)[number];

/** `pending` until done (then deleted) or out of attempts (`dead`: kept, listed, retryable). */
export const JOB_STATES = ["pending", "dead"] as const;
export type JobState = (typeof JOB_STATES)[number];

/** `sqlite` (a VACUUM INTO snapshot) or `json` (the portable export of every table). */
export const BACKUP_FORMATS = ["sqlite", "json"] as const;
export type BackupFormat = (typeof BACKUP_FORMATS)[number];

export const BACKUP_VERIFICATIONS = ["pending", "verified", "failed"] as const;
export type BackupVerification = (typeof BACKUP_VERIFICATIONS)[number];

export const SUBSCRIBER_CHANNELS = ["email", "webhook"] as const;
export type SubscriberChannel = (typeof SUBSCRIBER_CHANNELS)[number];

/** A webhook's body: `json` (Statuspage-compatible) or a chat channel's own. */
export const WEBHOOK_FORMATS = ["json", "slack", "discord", "teams"] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

/** `email` for mail; a webhook format for webhooks. */
export const SUBSCRIBER_FORMATS = ["email", ...WEBHOOK_FORMATS] as const;
export type SubscriberFormat = (typeof SUBSCRIBER_FORMATS)[number];

export const SUBSCRIBER_STATES = ["unconfirmed", "active", "quarantined", "unsubscribed", "disabled"] as const;
export type SubscriberState = (typeof SUBSCRIBER_STATES)[number];

/** Why a mail subscriber was quarantined: hard failures in a row, or the mail provider's bounce or complaint report. */
export const QUARANTINE_REASONS = ["failures", "bounced", "complained"] as const;
export type QuarantineReason = (typeof QUARANTINE_REASONS)[number];

/** Where a subscriber came from: the public form, the admin API, or a CSV import. */
export const SUBSCRIBER_SOURCES = ["form", "api", "import"] as const;
export type SubscriberSource = (typeof SUBSCRIBER_SOURCES)[number];

export const DELIVERY_STATES = ["queued", "sending", "sent", "failed"] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** `stock` (seeded from the files) or `api` (the team's own). */
export const TEMPLATE_SOURCES = ["stock", "api"] as const;
export type TemplateSource = (typeof TEMPLATE_SOURCES)[number];

/** The actions a person can ask to run later (`scheduled_actions.action`). */
export const SCHEDULED_ACTIONS = ["update.publish", "incident.open_scheduled"] as const;
export type ScheduledActionName = (typeof SCHEDULED_ACTIONS)[number];

/** Where alerts come from (docs/alerts.md): each kind is one payload format at `POST /api/intake/{source}`. */
export const ALERT_SOURCE_KINDS = ["alertmanager", "grafana", "pagerduty", "generic", "heartbeat", "email"] as const;
export type AlertSourceKind = (typeof ALERT_SOURCE_KINDS)[number];

export const ALERT_STATUSES = ["firing", "resolved"] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** Ordered from most to least severe; an alert without one uses its rule's `default` status. */
export const ALERT_SEVERITIES = ["critical", "warning", "info"] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/** A draft incident from alerts: `waiting` for a person, then `published` (an incident) or `discarded`. */
export const DRAFT_STATES = ["waiting", "published", "discarded"] as const;
export type DraftState = (typeof DRAFT_STATES)[number];

/**
 * The intake log's lines: a payload `received` (or `refused`, or a `duplicate` of an idempotency key), and what
 * the automation did with it: a component `moved` or `restored`, a change `skipped` (maintenance, a person's
 * incident), a `draft` made, published or discarded, a `heartbeat` missed or back.
 */
export const ALERT_LOG_KINDS = [
  "received",
  "refused",
  "duplicate",
  "moved",
  "restored",
  "skipped",
  "draft",
  "heartbeat",
] as const;
export type AlertLogKind = (typeof ALERT_LOG_KINDS)[number];

/** What a WebAuthn challenge was issued for: adding a passkey, or signing in with one (docs/team.md#passkeys). */
export const WEBAUTHN_PURPOSES = ["register", "authenticate"] as const;
export type WebauthnPurpose = (typeof WEBAUTHN_PURPOSES)[number];

/**
 * A component's lifecycle stage (docs/inventory.md): `production` for every component made before the inventory
 * existed; `deprecated` carries a sunset date and a message; at `sunset` it leaves the page and the v2 JSON.
 */
export const COMPONENT_STAGES = ["prototype", "development", "production", "deprecated", "sunset"] as const;
export type ComponentStage = (typeof COMPONENT_STAGES)[number];
