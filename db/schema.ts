// One file over 300 lines on purpose: drizzle-kit reads the whole schema from it, and the tables read best side by side.
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import {
  ALERT_LOG_KINDS,
  ALERT_SEVERITIES,
  ALERT_SOURCE_KINDS,
  ALERT_STATUSES,
  type AlertSeverity,
  BACKUP_FORMATS,
  BACKUP_VERIFICATIONS,
  COMPONENT_STAGES,
  COMPONENT_STATUSES,
  type ComponentStatus,
  DELIVERY_STATES,
  DRAFT_STATES,
  IMPACTS,
  INCIDENT_KINDS,
  JOB_STATES,
  PERSON_TOKEN_ROLES,
  QUARANTINE_REASONS,
  SCHEDULED_ACTIONS,
  SUBSCRIBER_CHANNELS,
  SUBSCRIBER_FORMATS,
  SUBSCRIBER_SOURCES,
  SUBSCRIBER_STATES,
  TEMPLATE_SOURCES,
  TOKEN_ROLES,
  UPDATE_STATUSES,
  WEBAUTHN_PURPOSES,
} from "./enums.ts";

/** Timestamps are UTC ISO 8601 strings with milliseconds (`2024-09-16T21:31:02.719Z`). */
const timestamp = (name: string) => text(name);

export const page = sqliteTable("page", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  url: text("url").notNull(),
  timeZone: text("time_zone").notNull().default("Etc/UTC"),
  logoUrl: text("logo_url"),
  faviconUrl: text("favicon_url"),
  /** `#rrggbb`, checked for contrast on write (core/page/brand-color.ts). */
  brandColor: text("brand_color"),
  supportUrl: text("support_url"),
  /** Where overdue-update reminders go. */
  teamEmail: text("team_email"),
  /** The update cadence promised when an update names none; null: no promise. */
  defaultNextUpdateMinutes: integer("default_next_update_minutes"),
  /** The mail From: name and address; null: the page's name and MAIL_FROM. */
  senderName: text("sender_name"),
  senderAddress: text("sender_address"),
  /**
   * The API's public address when it is not the page's origin (the split layout: a Worker serves the API, the
   * static site lives elsewhere): subscriber links in mail and the subscribe form point here. Null: the page's.
   */
  apiUrl: text("api_url"),
  /** Single sign-on: the e-mail domains (JSON list) whose new people get an account at their first sign-in. */
  ssoDomains: text("sso_domains", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
  /** The role of a person created by single sign-on. */
  ssoDefaultRole: text("sso_default_role", { enum: PERSON_TOKEN_ROLES }).notNull().default("viewer"),
  /** The weekly review mail to the team (docs/review.md): ISO weekday 1–7 and hour in the page's time zone; null: off. */
  reviewWeekday: integer("review_weekday"),
  reviewHour: integer("review_hour"),
  /** Whether the public site has a reliability page (uptime per component for 30/90/365 days). */
  publicReliability: integer("public_reliability", { mode: "boolean" }).notNull().default(false),
  /** How many days before a component's sunset date its subscribers are reminded. */
  sunsetReminderDays: integer("sunset_reminder_days").notNull().default(14),
  createdAt: timestamp("created_at").notNull(),
  updatedAt: timestamp("updated_at").notNull(),
});

export const components = sqliteTable(
  "components",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    description: text("description"),
    status: text("status", { enum: COMPONENT_STATUSES }).notNull().default("operational"),
    groupId: text("group_id"),
    isGroup: integer("is_group", { mode: "boolean" }).notNull().default(false),
    position: integer("position").notNull(),
    showcase: integer("showcase", { mode: "boolean" }).notNull().default(true),
    onlyShowIfDegraded: integer("only_show_if_degraded", { mode: "boolean" }).notNull().default(false),
    startDate: text("start_date"),
    /** The service inventory (docs/inventory.md): who owns it, a team's name or a person, or nobody yet. */
    ownerTeam: text("owner_team"),
    ownerPersonId: text("owner_person_id"),
    stage: text("stage", { enum: COMPONENT_STAGES }).notNull().default("production"),
    runbookUrl: text("runbook_url"),
    repositoryUrl: text("repository_url"),
    dashboardUrl: text("dashboard_url"),
    /** The team's uptime target in percent (e.g. 99.9) for the review's SLA view; null: none set. */
    uptimeTarget: text("uptime_target"),
    /** Set when deprecated: when it leaves the page, and what customers should do (Markdown source, safe text). */
    sunsetAt: timestamp("sunset_at"),
    deprecationMessage: text("deprecation_message"),
    deprecatedAt: timestamp("deprecated_at"),
    createdAt: timestamp("created_at").notNull(),
    updatedAt: timestamp("updated_at").notNull(),
  },
  (t) => [index("components_group_idx").on(t.groupId, t.position), index("components_stage_idx").on(t.stage)],
);

/** The page's production checklist (docs/inventory.md): the items a component should have before production. */
export const checklistItems = sqliteTable("checklist_items", {
  id: text("id").primaryKey(),
  position: integer("position").notNull(),
  label: text("label").notNull(),
  createdAt: timestamp("created_at").notNull(),
});

/** An item ticked for a component: who ticked it (an actor's name and id) and when. Unticking deletes the row. */
export const componentChecklist = sqliteTable(
  "component_checklist",
  {
    componentId: text("component_id")
      .notNull()
      .references(() => components.id, { onDelete: "cascade" }),
    itemId: text("item_id")
      .notNull()
      .references(() => checklistItems.id, { onDelete: "cascade" }),
    tickedBy: text("ticked_by").notNull(),
    tickedById: text("ticked_by_id").notNull(),
    tickedAt: timestamp("ticked_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.componentId, t.itemId] })],
);

/** Every stage a component has been moved to, with the reason asked when its checklist was not complete. */
export const componentStageChanges = sqliteTable(
  "component_stage_changes",
  {
    id: text("id").primaryKey(),
    componentId: text("component_id")
      .notNull()
      .references(() => components.id, { onDelete: "cascade" }),
    fromStage: text("from_stage", { enum: COMPONENT_STAGES }).notNull(),
    toStage: text("to_stage", { enum: COMPONENT_STAGES }).notNull(),
    reason: text("reason"),
    by: text("by").notNull(),
    at: timestamp("at").notNull(),
  },
  (t) => [index("component_stage_changes_component_idx").on(t.componentId, t.at)],
);

/** Every status a component has had: the source of uptime and of the page's history. */
export const componentStatusChanges = sqliteTable(
  "component_status_changes",
  {
    id: text("id").primaryKey(),
    componentId: text("component_id")
      .notNull()
      .references(() => components.id, { onDelete: "cascade" }),
    oldStatus: text("old_status", { enum: COMPONENT_STATUSES }).notNull(),
    newStatus: text("new_status", { enum: COMPONENT_STATUSES }).notNull(),
    at: timestamp("at").notNull(),
    incidentId: text("incident_id"),
    updateId: text("update_id"),
    /** Set for a change the alert automation made: the alert that held the component (docs/alerts.md). */
    alertId: text("alert_id"),
  },
  (t) => [
    index("component_status_changes_component_idx").on(t.componentId, t.at),
    index("component_status_changes_at_idx").on(t.at),
  ],
);

export const incidents = sqliteTable(
  "incidents",
  {
    id: text("id").primaryKey(),
    kind: text("kind", { enum: INCIDENT_KINDS }).notNull(),
    name: text("name").notNull(),
    status: text("status", { enum: UPDATE_STATUSES }).notNull(),
    impact: text("impact", { enum: IMPACTS }).notNull(),
    impactOverride: text("impact_override", { enum: IMPACTS }),
    createdAt: timestamp("created_at").notNull(),
    updatedAt: timestamp("updated_at").notNull(),
    startedAt: timestamp("started_at").notNull(),
    monitoringAt: timestamp("monitoring_at"),
    resolvedAt: timestamp("resolved_at"),
    scheduledFor: timestamp("scheduled_for"),
    scheduledUntil: timestamp("scheduled_until"),
    /** When the commander promised the next update ("Next update by HH:MM"); cleared by the next update. */
    nextUpdateDueAt: timestamp("next_update_due_at"),
    postmortemMd: text("postmortem_md"),
    postmortemHtml: text("postmortem_html"),
    postmortemPublishedAt: timestamp("postmortem_published_at"),
    /** Raised on every reschedule: the iCalendar SEQUENCE, so calendar apps move the event. */
    sequence: integer("sequence").notNull().default(0),
    /** A maintenance's reminder to subscribers, this many minutes before it starts; null: 60, 0: none. */
    remindMinutes: integer("remind_minutes"),
    /** A maintenance the scheduler moves to in progress at `scheduled_for`. */
    autoStart: integer("auto_start", { mode: "boolean" }).notNull().default(true),
    /** A maintenance the scheduler completes at `scheduled_until`. */
    autoComplete: integer("auto_complete", { mode: "boolean" }).notNull().default(true),
    /** When a maintenance was cancelled (it is then completed, and the calendar marks it CANCELLED). */
    cancelledAt: timestamp("cancelled_at"),
    /** The Incident Commander: a person's id (docs/team.md); null for an incident opened by a token or automation. */
    commanderId: text("commander_id"),
  },
  (t) => [
    index("incidents_created_idx").on(t.createdAt),
    index("incidents_open_idx").on(t.resolvedAt),
    index("incidents_kind_created_idx").on(t.kind, t.createdAt),
    // The history by month: month pages and the per-month counts read only this index, never the table.
    index("incidents_month_idx").on(sql`substr(${t.startedAt}, 1, 7)`, t.startedAt, t.kind),
    // The reliability review reads the incidents that started in any period (docs/review.md, "Cost").
    index("incidents_started_idx").on(t.startedAt),
  ],
);

export const incidentUpdates = sqliteTable(
  "incident_updates",
  {
    id: text("id").primaryKey(),
    incidentId: text("incident_id")
      .notNull()
      .references(() => incidents.id, { onDelete: "cascade" }),
    status: text("status", { enum: UPDATE_STATUSES }).notNull(),
    bodyMd: text("body_md").notNull(),
    bodyHtml: text("body_html").notNull(),
    displayAt: timestamp("display_at").notNull(),
    createdAt: timestamp("created_at").notNull(),
    updatedAt: timestamp("updated_at").notNull(),
    deliverNotifications: integer("deliver_notifications", { mode: "boolean" }).notNull().default(true),
    createdBy: text("created_by"),
    /** When the update takes effect (component changes applied, shown, notified). */
    publishAt: timestamp("publish_at"),
    /** When it was applied (null only in databases before migration 0017, which moved waiting rows out). */
    publishedAt: timestamp("published_at"),
    /** The promise this update made: the next update within this many minutes (null: none). */
    nextUpdateInMinutes: integer("next_update_in_minutes"),
    /** A timed update's component changes while it waits (in memory; stored rows have null since 0017). */
    scheduledComponents: text("scheduled_components", { mode: "json" }).$type<Record<string, ComponentStatus>>(),
  },
  (t) => [index("incident_updates_incident_idx").on(t.incidentId, t.displayAt)],
);

/** The component changes an update made; the name is kept so history survives a deleted component. */
export const updateComponents = sqliteTable(
  "update_components",
  {
    updateId: text("update_id")
      .notNull()
      .references(() => incidentUpdates.id, { onDelete: "cascade" }),
    incidentId: text("incident_id")
      .notNull()
      .references(() => incidents.id, { onDelete: "cascade" }),
    componentId: text("component_id").notNull(),
    componentName: text("component_name").notNull(),
    oldStatus: text("old_status", { enum: COMPONENT_STATUSES }).notNull(),
    newStatus: text("new_status", { enum: COMPONENT_STATUSES }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.updateId, t.componentId] }),
    index("update_components_incident_idx").on(t.incidentId),
    // Covering for a component's incidents (its page's count and list): no table reads, no temp tree.
    index("update_components_component_incident_idx").on(t.componentId, t.incidentId),
  ],
);

export const apiTokens = sqliteTable(
  "api_tokens",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    role: text("role", { enum: TOKEN_ROLES }).notNull(),
    tokenHash: text("token_hash").notNull(),
    createdAt: timestamp("created_at").notNull(),
    lastUsedAt: timestamp("last_used_at"),
    revokedAt: timestamp("revoked_at"),
    /** Set for the token that `HERALD_ADMIN_TOKEN` ensured, so a changed value can revoke it. */
    fromEnvironment: integer("from_environment", { mode: "boolean" }).notNull().default(false),
    /** The person a script's token belongs to; null: a named integration. The actor stays the token. */
    ownerPersonId: text("owner_person_id"),
  },
  (t) => [uniqueIndex("api_tokens_hash_idx").on(t.tokenHash)],
);

export const auditLog = sqliteTable(
  "audit_log",
  {
    id: text("id").primaryKey(),
    at: timestamp("at").notNull(),
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: text("target_id").notNull(),
    details: text("details", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
  },
  (t) => [index("audit_log_at_idx").on(t.at), index("audit_log_target_idx").on(t.targetType, t.targetId)],
);

/** The outbox: durable jobs written in the same batch as the change that needs them. */
export const jobs = sqliteTable(
  "jobs",
  {
    id: text("id").primaryKey(),
    /** A `JobKind` (core/changes/outbox.ts); plain text, as a job another Herald version wrote may be of a kind this one lacks. */
    kind: text("kind").notNull(),
    /** Unique per job: writing the same job twice (a retried request, a repeated tick) inserts it once. */
    dedupeKey: text("dedupe_key").notNull(),
    /** `pending` until done (then deleted) or out of attempts (`dead`: kept, listed, retryable). */
    state: text("state", { enum: JOB_STATES }).notNull().default("pending"),
    payload: text("payload", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    runAt: timestamp("run_at").notNull(),
    attempts: integer("attempts").notNull().default(0),
    leaseOwner: text("lease_owner"),
    leaseUntil: timestamp("lease_until"),
    lastError: text("last_error"),
    createdAt: timestamp("created_at").notNull(),
    diedAt: timestamp("died_at"),
  },
  (t) => [index("jobs_due_idx").on(t.state, t.kind, t.runAt), uniqueIndex("jobs_dedupe_idx").on(t.dedupeKey)],
);

/**
 * Fixed-window counters for rate limits (failed authentications, public writes), kept in the database
 * so that a limit holds across processes and on Workers.
 */
export const rateLimits = sqliteTable("rate_limits", {
  /** What is limited and for whom, e.g. `auth-fail:203.0.113.7`. */
  key: text("key").primaryKey(),
  windowStart: timestamp("window_start").notNull(),
  hits: integer("hits").notNull(),
});

/**
 * An OpenID Connect sign-in under way: what the callback must match (state, nonce, PKCE verifier),
 * used once, and worthless after `expires_at`.
 */
export const oidcLogins = sqliteTable(
  "oidc_logins",
  {
    state: text("state").primaryKey(),
    nonce: text("nonce").notNull(),
    codeVerifier: text("code_verifier").notNull(),
    /** The console path to open once signed in. */
    returnTo: text("return_to").notNull(),
    createdAt: timestamp("created_at").notNull(),
    expiresAt: timestamp("expires_at").notNull(),
    usedAt: timestamp("used_at"),
  },
  (t) => [index("oidc_logins_expires_idx").on(t.expiresAt)],
);

/** Each backup taken and the result of restoring it into a scratch database to verify it. */
export const backups = sqliteTable(
  "backups",
  {
    id: text("id").primaryKey(),
    /** `sqlite` (a VACUUM INTO snapshot) or `json` (the portable export of every table). */
    format: text("format", { enum: BACKUP_FORMATS }).notNull(),
    path: text("path").notNull(),
    bytes: integer("bytes"),
    startedAt: timestamp("started_at").notNull(),
    finishedAt: timestamp("finished_at"),
    /** `pending`, `verified` or `failed`. */
    verification: text("verification", { enum: BACKUP_VERIFICATIONS }).notNull().default("pending"),
    verifiedAt: timestamp("verified_at"),
    /** Per table: row count and checksum, as compared on verification. */
    tables: text("tables", { mode: "json" }).$type<Record<string, { rows: number; checksum: string }>>(),
    error: text("error"),
  },
  (t) => [index("backups_started_idx").on(t.startedAt)],
);

/**
 * How many incidents and maintenances started in each history month (`YYYY-MM`), recounted in the batch
 * of every change that names the month (`core/incidents/history-months.ts`), so the history's month list
 * reads a row per month instead of every incident.
 */
export const historyMonths = sqliteTable("history_months", {
  month: text("month").primaryKey(),
  incidents: integer("incidents").notNull(),
  maintenances: integer("maintenances").notNull(),
});

/**
 * Milliseconds per status per component and UTC day, kept in the batch of every status change, so a
 * render reads 90 rows per component instead of the whole window's status history.
 */
export const uptimeDaily = sqliteTable(
  "uptime_daily",
  {
    componentId: text("component_id")
      .notNull()
      .references(() => components.id, { onDelete: "cascade" }),
    /** `YYYY-MM-DD`, UTC. */
    day: text("day").notNull(),
    operationalMs: integer("operational_ms").notNull().default(0),
    degradedMs: integer("degraded_ms").notNull().default(0),
    partialMs: integer("partial_ms").notNull().default(0),
    majorMs: integer("major_ms").notNull().default(0),
    maintenanceMs: integer("maintenance_ms").notNull().default(0),
    /** The worst status seen that day (including one that began and ended within it). */
    worst: text("worst", { enum: COMPONENT_STATUSES }),
  },
  (t) => [primaryKey({ columns: [t.componentId, t.day] })],
);

/** Someone who asked to be told: an email address, or a webhook URL (JSON or a chat channel's format). */
export const subscribers = sqliteTable(
  "subscribers",
  {
    id: text("id").primaryKey(),
    channel: text("channel", { enum: SUBSCRIBER_CHANNELS }).notNull(),
    /** The email address (normalized) or the webhook URL. */
    address: text("address").notNull(),
    /** `email` for mail; `json` (Statuspage-compatible), `slack`, `discord` or `teams` for webhooks. */
    format: text("format", { enum: SUBSCRIBER_FORMATS }).notNull(),
    state: text("state", { enum: SUBSCRIBER_STATES }).notNull(),
    /** True: the whole page. False: only what touches `subscriber_components` (a group covers its members). */
    allComponents: integer("all_components", { mode: "boolean" }).notNull().default(true),
    /** A webhook's signing secret (`whsec_…`, Standard Webhooks). */
    webhookSecret: text("webhook_secret"),
    /** Who is told by mail when a webhook is disabled after sustained failure. */
    ownerEmail: text("owner_email"),
    /**
     * A team destination: a webhook an admin marked as the team's own, or the team address's row. Only
     * these receive team events (core/notifications/events.ts); a form-made webhook never is one.
     */
    team: integer("team", { mode: "boolean" }).notNull().default(false),
    source: text("source", { enum: SUBSCRIBER_SOURCES }).notNull(),
    /** Hard failures in a row (5xx from the mail server, a webhook failing for good); reset by a success. */
    hardFailures: integer("hard_failures").notNull().default(0),
    /** When the current run of failures began (a webhook failing for 24 h is disabled). */
    failingSince: timestamp("failing_since"),
    confirmationSentAt: timestamp("confirmation_sent_at"),
    confirmedAt: timestamp("confirmed_at"),
    unsubscribedAt: timestamp("unsubscribed_at"),
    quarantinedAt: timestamp("quarantined_at"),
    /** Why the subscriber was quarantined: `failures` (hard failures in a row), `bounced` or `complained` (the mail provider said so). */
    quarantineReason: text("quarantine_reason", { enum: QUARANTINE_REASONS }),
    /** Soft bounces the mail provider reported (mailbox full, greylisted): counted, never a quarantine. */
    softBounces: integer("soft_bounces").notNull().default(0),
    disabledAt: timestamp("disabled_at"),
    createdAt: timestamp("created_at").notNull(),
    updatedAt: timestamp("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("subscribers_address_idx").on(t.channel, t.address),
    index("subscribers_state_idx").on(t.state, t.id),
  ],
);

/** The components (or groups) a scoped subscriber chose. */
export const subscriberComponents = sqliteTable(
  "subscriber_components",
  {
    subscriberId: text("subscriber_id")
      .notNull()
      .references(() => subscribers.id, { onDelete: "cascade" }),
    componentId: text("component_id")
      .notNull()
      .references(() => components.id, { onDelete: "cascade" }),
  },
  (t) => [
    primaryKey({ columns: [t.subscriberId, t.componentId] }),
    index("subscriber_components_component_idx").on(t.componentId),
  ],
);

/**
 * Something subscribers are told about (an update published, a postmortem, a maintenance notice, a
 * confirmation mail), written in the batch of the change that caused it, with its notify job. Fan-out
 * turns it into deliveries; the counters are kept as deliveries move, so the console never counts rows.
 */
export const notificationEvents = sqliteTable(
  "notification_events",
  {
    id: text("id").primaryKey(),
    /** A `NotificationKind` (core/notifications/events.ts); plain text: a newer Herald's kind reaches no one. */
    kind: text("kind").notNull(),
    incidentId: text("incident_id"),
    updateId: text("update_id"),
    /** Set for an event meant for one subscriber only (a confirmation, a webhook's owner notice). */
    subscriberId: text("subscriber_id"),
    /** The components the event touches (scope matching); empty: page-wide. */
    componentIds: text("component_ids", { mode: "json" }).$type<string[]>().notNull(),
    createdAt: timestamp("created_at").notNull(),
    /** The last subscriber id fanned out (fan-out runs in chunks and resumes here after a crash). */
    fanoutCursor: text("fanout_cursor"),
    fanoutDoneAt: timestamp("fanout_done_at"),
    queued: integer("queued").notNull().default(0),
    sent: integer("sent").notNull().default(0),
    failed: integer("failed").notNull().default(0),
    /** Mails the provider reported bounced for good or complained of after they were sent (kept when deliveries are pruned). */
    bounced: integer("bounced").notNull().default(0),
    complained: integer("complained").notNull().default(0),
  },
  (t) => [index("notification_events_incident_idx").on(t.incidentId, t.createdAt)],
);

/** One message to one subscriber about one event: inserted once, marked sent only after the server's reply. */
export const deliveries = sqliteTable(
  "deliveries",
  {
    id: text("id").primaryKey(),
    eventId: text("event_id")
      .notNull()
      .references(() => notificationEvents.id, { onDelete: "cascade" }),
    subscriberId: text("subscriber_id").notNull(),
    state: text("state", { enum: DELIVERY_STATES }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at").notNull(),
    leaseOwner: text("lease_owner"),
    leaseUntil: timestamp("lease_until"),
    /** The Message-ID we sent (derived from event and subscriber, so a resend carries the same one). */
    messageId: text("message_id"),
    /** What the server answered (SMTP reply line, HTTP status). */
    serverReply: text("server_reply"),
    lastError: text("last_error"),
    sentAt: timestamp("sent_at"),
    createdAt: timestamp("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("deliveries_event_subscriber_idx").on(t.eventId, t.subscriberId),
    index("deliveries_pending_idx").on(t.nextAttemptAt).where(sql`${t.state} IN ('queued', 'sending')`),
    index("deliveries_subscriber_idx").on(t.subscriberId),
  ],
);

/** A lock held by one process at a time (the sender, the renderer, a runner's presence), kept alive by a heartbeat. */
export const locks = sqliteTable("locks", {
  name: text("name").primaryKey(),
  owner: text("owner").notNull(),
  heartbeatAt: timestamp("heartbeat_at").notNull(),
});

/** Server secrets kept in the database (the HMAC key of signed links, unless HERALD_SECRET is set). */
export const secrets = sqliteTable("secrets", {
  name: text("name").primaryKey(),
  value: text("value").notNull(),
  createdAt: timestamp("created_at").notNull(),
});

/**
 * Update templates: the stock ones (seeded from templates/incidents and templates/maintenance on start)
 * and the team's own. A deleted template keeps its row with `deleted_at` set, so a stock template the
 * team deleted is never seeded again.
 */
export const templates = sqliteTable("templates", {
  /** A slug (`partial-outage`), as the API and the CLI name it. */
  id: text("id").primaryKey(),
  kind: text("kind", { enum: INCIDENT_KINDS }).notNull(),
  name: text("name").notNull(),
  /** The status an update from it posts. */
  status: text("status", { enum: UPDATE_STATUSES }).notNull(),
  /** The incident's name when opening one from it (Mustache, one line). */
  title: text("title").notNull(),
  /** The update's Markdown (Mustache: `{{variable}}` only). */
  body: text("body").notNull(),
  /** An impact override, or null for the computed one. */
  impact: text("impact", { enum: IMPACTS }),
  /** The status given to each component a request names in a list; null: the request must say. */
  componentStatus: text("component_status", { enum: COMPONENT_STATUSES }),
  /** Component id → status, always set when it is used. */
  components: text("components", { mode: "json" }).$type<Record<string, ComponentStatus>>().notNull(),
  nextUpdateInMinutes: integer("next_update_in_minutes"),
  /** The declared variables: name, description, required, default, choices. */
  variables: text("variables", { mode: "json" }).$type<unknown[]>().notNull(),
  /** `stock` (seeded from the files) or `api` (the team's own). */
  source: text("source", { enum: TEMPLATE_SOURCES }).notNull(),
  createdAt: timestamp("created_at").notNull(),
  updatedAt: timestamp("updated_at").notNull(),
  deletedAt: timestamp("deleted_at"),
});

/** A signed-in console session: the cookie holds a random secret, only its hash is kept. */
export const consoleSessions = sqliteTable(
  "console_sessions",
  {
    idHash: text("id_hash").primaryKey(),
    /** A session is a token's (signed in by pasting it) or a person's: exactly one of these is set. */
    tokenId: text("token_id").references(() => apiTokens.id, { onDelete: "cascade" }),
    personId: text("person_id").references(() => people.id, { onDelete: "cascade" }),
    /** The per-session token every console form carries. */
    csrfToken: text("csrf_token").notNull(),
    createdAt: timestamp("created_at").notNull(),
    expiresAt: timestamp("expires_at").notNull(),
    /** When the session last made a request, kept to within a few minutes (core/console/sessions.ts). */
    lastSeenAt: timestamp("last_seen_at"),
    /** The browser's User-Agent at sign-in, cleaned and cut short: shown to the person and admins only. */
    userAgent: text("user_agent"),
  },
  (t) => [
    index("console_sessions_token_idx").on(t.tokenId),
    index("console_sessions_person_idx").on(t.personId),
    index("console_sessions_expires_idx").on(t.expiresAt),
  ],
);

/** The team's people: they sign in to the console and act as themselves (docs/team.md). */
export const people = sqliteTable(
  "people",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    /** Lower-case, trimmed: one person per address. */
    email: text("email").notNull(),
    role: text("role", { enum: PERSON_TOKEN_ROLES }).notNull(),
    createdAt: timestamp("created_at").notNull(),
    updatedAt: timestamp("updated_at").notNull(),
    /** Removed people keep their row (the audit log names them) but can no longer sign in. */
    removedAt: timestamp("removed_at"),
    lastSignInAt: timestamp("last_sign_in_at"),
  },
  (t) => [uniqueIndex("people_email_idx").on(t.email)],
);

/** An admin's invitation by email: its link is single-use and expires; only the link's hash is kept. */
export const invitations = sqliteTable(
  "invitations",
  {
    id: text("id").primaryKey(),
    email: text("email").notNull(),
    role: text("role", { enum: PERSON_TOKEN_ROLES }).notNull(),
    /** The inviting actor's id (a person or a token). */
    invitedBy: text("invited_by").notNull(),
    tokenHash: text("token_hash").notNull(),
    createdAt: timestamp("created_at").notNull(),
    expiresAt: timestamp("expires_at").notNull(),
    acceptedAt: timestamp("accepted_at"),
    revokedAt: timestamp("revoked_at"),
  },
  (t) => [uniqueIndex("invitations_token_idx").on(t.tokenHash), index("invitations_email_idx").on(t.email)],
);

/** An emailed sign-in link: single-use, short-lived; only its hash is kept. */
export const signInLinks = sqliteTable(
  "sign_in_links",
  {
    id: text("id").primaryKey(),
    personId: text("person_id")
      .notNull()
      .references(() => people.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    createdAt: timestamp("created_at").notNull(),
    expiresAt: timestamp("expires_at").notNull(),
    usedAt: timestamp("used_at"),
  },
  (t) => [uniqueIndex("sign_in_links_token_idx").on(t.tokenHash), index("sign_in_links_expires_idx").on(t.expiresAt)],
);

/**
 * An action a person asked to run later ("run this action at time T"): a timed update (`update.publish`,
 * its id the update's id once published) or an incident to open (`incident.open_scheduled`). `input` is
 * what was checked when it was scheduled (the written update; the open-incident request, template
 * resolved); on no page, feed or inbox until the scheduler runs it at `run_at`, in the batch that
 * deletes the row. `failure` says why it could not run (it then stays, for the team to fix or cancel).
 */
export const scheduledActions = sqliteTable(
  "scheduled_actions",
  {
    id: text("id").primaryKey(),
    action: text("action", { enum: SCHEDULED_ACTIONS }).notNull(),
    input: text("input", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    /** The incident a timed update belongs to (deleted with it); null for an opening. */
    incidentId: text("incident_id").references(() => incidents.id, { onDelete: "cascade" }),
    runAt: timestamp("run_at").notNull(),
    createdAt: timestamp("created_at").notNull(),
    updatedAt: timestamp("updated_at").notNull(),
    createdBy: text("created_by"),
    failure: text("failure"),
  },
  (t) => [
    index("scheduled_actions_due_idx").on(t.action, t.runAt),
    index("scheduled_actions_incident_idx").on(t.incidentId),
  ],
);

/**
 * Where alerts come from: one monitoring system's webhook (or a heartbeat, or an inbound mail address), with its
 * own `automation` token (which may only submit alerts). The id is the source's name in its intake URL
 * (`POST /api/intake/{id}`).
 */
export const alertSources = sqliteTable("alert_sources", {
  /** A slug (`prometheus`, `nightly-backup`). */
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  kind: text("kind", { enum: ALERT_SOURCE_KINDS }).notNull(),
  /** The source's own token (role `automation`); revoking the source revokes it. */
  tokenId: text("token_id")
    .notNull()
    .references(() => apiTokens.id),
  /** PagerDuty's webhook signing secret (verifies `X-PagerDuty-Signature`); null for other kinds. */
  signingSecret: text("signing_secret"),
  /** A heartbeat's period: minutes without a ping before it raises an alert. */
  heartbeatMinutes: integer("heartbeat_minutes"),
  lastPingAt: timestamp("last_ping_at"),
  createdAt: timestamp("created_at").notNull(),
  updatedAt: timestamp("updated_at").notNull(),
  revokedAt: timestamp("revoked_at"),
});

/**
 * Each alert a source reported, one row per fingerprint (its current state): a repeated delivery of the same
 * state changes nothing, a new firing after a resolve starts a new episode (`firingSince`).
 */
export const alerts = sqliteTable(
  "alerts",
  {
    id: text("id").primaryKey(),
    sourceId: text("source_id")
      .notNull()
      .references(() => alertSources.id, { onDelete: "cascade" }),
    fingerprint: text("fingerprint").notNull(),
    status: text("status", { enum: ALERT_STATUSES }).notNull(),
    severity: text("severity", { enum: ALERT_SEVERITIES }),
    /** One line for people: the alert's summary annotation, PagerDuty's title, the mail's subject. */
    summary: text("summary").notNull(),
    labels: text("labels", { mode: "json" }).$type<Record<string, string>>().notNull(),
    annotations: text("annotations", { mode: "json" }).$type<Record<string, string>>().notNull(),
    /** Where the sender shows it (Alertmanager's generatorURL, PagerDuty's html_url). */
    url: text("url"),
    /** When the sender says it began (Alertmanager's startsAt), for the record. */
    startsAt: timestamp("starts_at"),
    /** When Herald saw this episode begin firing: flap damping counts from here. */
    firingSince: timestamp("firing_since"),
    resolvedAt: timestamp("resolved_at"),
    firstReceivedAt: timestamp("first_received_at").notNull(),
    lastReceivedAt: timestamp("last_received_at").notNull(),
  },
  (t) => [
    uniqueIndex("alerts_source_fingerprint_idx").on(t.sourceId, t.fingerprint),
    index("alerts_status_idx").on(t.status),
  ],
);

/** What an alert maps to: which alerts (matchers, sources), which components at which status, and the draft's template. */
export const alertRules = sqliteTable("alert_rules", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  position: integer("position").notNull(),
  enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
  /** Alertmanager-syntax matchers an alert's labels must all satisfy: `service="api"`, `severity=~"critical|page"`. */
  matchers: text("matchers", { mode: "json" }).$type<string[]>().notNull(),
  /** The sources it listens to; empty: every source. */
  sourceIds: text("source_ids", { mode: "json" }).$type<string[]>().notNull(),
  componentIds: text("component_ids", { mode: "json" }).$type<string[]>().notNull(),
  /** The component status for each alert severity, and `default` for an alert without one. */
  statuses: text("statuses", { mode: "json" }).$type<Record<AlertSeverity | "default", ComponentStatus>>().notNull(),
  /** Seconds an alert must stay firing before it counts (flap damping); 0: at once. */
  forSeconds: integer("for_seconds").notNull().default(0),
  /** The incident template that drafts the incident; null: the rule moves components only. */
  templateId: text("template_id"),
  /** Publish the waiting draft by itself after this many minutes with no one acting; null (the default): never. */
  autoPublishMinutes: integer("auto_publish_minutes"),
  /** Remind the team of a waiting draft after this many minutes. */
  remindMinutes: integer("remind_minutes").notNull().default(10),
  createdAt: timestamp("created_at").notNull(),
  updatedAt: timestamp("updated_at").notNull(),
});

/**
 * A component the automation moved: the status it set and the one to return to when every alert holding it
 * resolves. A person changing the component meanwhile ends the automation's hold (the person wins).
 */
export const automatedComponents = sqliteTable("automated_components", {
  componentId: text("component_id")
    .primaryKey()
    .references(() => components.id, { onDelete: "cascade" }),
  status: text("status", { enum: COMPONENT_STATUSES }).notNull(),
  restoreStatus: text("restore_status", { enum: COMPONENT_STATUSES }).notNull(),
  /** The alerts holding it (ids), and the rules they matched. */
  alertIds: text("alert_ids", { mode: "json" }).$type<string[]>().notNull(),
  ruleIds: text("rule_ids", { mode: "json" }).$type<string[]>().notNull(),
  since: timestamp("since").notNull(),
});

/** An incident drafted from a rule's alerts, waiting for a person to publish (or discard) it. */
export const alertDrafts = sqliteTable(
  "alert_drafts",
  {
    id: text("id").primaryKey(),
    ruleId: text("rule_id").references(() => alertRules.id, { onDelete: "set null" }),
    state: text("state", { enum: DRAFT_STATES }).notNull(),
    templateId: text("template_id"),
    /** The incident as the template drafted it (a person may edit it when publishing). */
    name: text("name").notNull(),
    status: text("status", { enum: UPDATE_STATUSES }).notNull(),
    body: text("body").notNull(),
    impact: text("impact", { enum: IMPACTS }),
    components: text("components", { mode: "json" }).$type<Record<string, ComponentStatus>>().notNull(),
    nextUpdateInMinutes: integer("next_update_in_minutes"),
    createdAt: timestamp("created_at").notNull(),
    updatedAt: timestamp("updated_at").notNull(),
    /** When the team is next reminded that it waits (null: no more reminders). */
    remindAt: timestamp("remind_at"),
    /** When it publishes itself (the rule's `autoPublishMinutes`); null: only a person publishes it. */
    autoPublishAt: timestamp("auto_publish_at"),
    decidedAt: timestamp("decided_at"),
    decidedBy: text("decided_by"),
    /** The incident it became. */
    incidentId: text("incident_id").references(() => incidents.id, { onDelete: "set null" }),
  },
  (t) => [index("alert_drafts_state_idx").on(t.state, t.createdAt)],
);

/** The alerts a draft gathered (every alert of its rule that counted while it waited). */
export const alertDraftAlerts = sqliteTable(
  "alert_draft_alerts",
  {
    draftId: text("draft_id")
      .notNull()
      .references(() => alertDrafts.id, { onDelete: "cascade" }),
    alertId: text("alert_id")
      .notNull()
      .references(() => alerts.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.draftId, t.alertId] }), index("alert_draft_alerts_alert_idx").on(t.alertId)],
);

/** The intake log: every payload received and everything the automation did, kept 30 days (docs/alerts.md). */
export const alertLog = sqliteTable(
  "alert_log",
  {
    id: text("id").primaryKey(),
    at: timestamp("at").notNull(),
    kind: text("kind", { enum: ALERT_LOG_KINDS }).notNull(),
    /** The source (null for a payload whose source was unknown). */
    sourceId: text("source_id"),
    /** What was answered to a received payload (202, 422, 401 …); null for the automation's lines. */
    httpStatus: integer("http_status"),
    /** One line for people: "3 alerts (2 firing, 1 resolved)", "API → partial outage". */
    summary: text("summary").notNull(),
    details: text("details", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    /** The delivery's idempotency key (a header, or the sender's own event id): a repeat is answered, not applied. */
    idempotencyKey: text("idempotency_key"),
  },
  (t) => [
    index("alert_log_at_idx").on(t.at),
    uniqueIndex("alert_log_idempotency_idx")
      .on(t.sourceId, t.idempotencyKey)
      .where(sql`${t.idempotencyKey} IS NOT NULL`),
  ],
);

/**
 * One row (`id` = 'alerts'): evaluation requests counted by the intake and the count the last evaluation read,
 * so an alert received while an evaluation runs is always evaluated again (core/alerts/automation).
 */
export const alertEvaluation = sqliteTable("alert_evaluation", {
  id: text("id").primaryKey(),
  requested: integer("requested").notNull().default(0),
  evaluated: integer("evaluated").notNull().default(0),
});

/**
 * A person's passkey (a WebAuthn credential): `id` is the credential id (base64url), `public_key` the COSE key
 * (base64url). People are removed by `removed_at`, not deleted: sign-in refuses a removed person's passkey.
 */
export const passkeys = sqliteTable(
  "passkeys",
  {
    id: text("id").primaryKey(),
    personId: text("person_id")
      .notNull()
      .references(() => people.id, { onDelete: "cascade" }),
    publicKey: text("public_key").notNull(),
    /** The authenticator's signature counter; 0 for authenticators that do not count (most passkeys). */
    counter: integer("counter").notNull().default(0),
    transports: text("transports", { mode: "json" }).$type<string[]>().notNull(),
    /** `singleDevice` or `multiDevice` (synced), as the authenticator reported it. */
    deviceType: text("device_type").notNull(),
    backedUp: integer("backed_up", { mode: "boolean" }).notNull(),
    /** The person's own name for it ("Laptop", "Phone"). */
    name: text("name").notNull(),
    createdAt: timestamp("created_at").notNull(),
    lastUsedAt: timestamp("last_used_at"),
  },
  (t) => [index("passkeys_person_idx").on(t.personId)],
);

/** A WebAuthn challenge handed to a browser: used once (`used_at`), refused after `expires_at`. */
export const webauthnChallenges = sqliteTable(
  "webauthn_challenges",
  {
    id: text("id").primaryKey(),
    challenge: text("challenge").notNull(),
    purpose: text("purpose", { enum: WEBAUTHN_PURPOSES }).notNull(),
    /** The person adding a passkey; null for a sign-in, where nobody is known yet. */
    personId: text("person_id").references(() => people.id, { onDelete: "cascade" }),
    expiresAt: timestamp("expires_at").notNull(),
    usedAt: timestamp("used_at"),
  },
  (t) => [index("webauthn_challenges_expires_idx").on(t.expiresAt)],
);

/** The escalation policy's levels after the commander (docs/team.md, Escalation), in `position` order. */
export const escalationLevels = sqliteTable("escalation_levels", {
  id: text("id").primaryKey(),
  position: integer("position").notNull().unique(),
  /** Minutes after the previous level was told, with nothing posted, before this level is told. */
  delayMinutes: integer("delay_minutes").notNull(),
  personIds: text("person_ids", { mode: "json" }).$type<string[]>().notNull(),
  /** Which team destinations this level tells: `team_email` (the team address), `team_webhooks` (the team's chat). */
  teamChannels: text("team_channels", { mode: "json" }).$type<string[]>().notNull(),
  /** Told only between 08:00 and 20:00 in the page's time zone; at night the escalation passes over it. */
  daytimeOnly: integer("daytime_only", { mode: "boolean" }).notNull().default(false),
});

/** One lapsed promise being escalated; the id is derived from the subject and the promised time. */
export const escalations = sqliteTable(
  "escalations",
  {
    id: text("id").primaryKey(),
    subjectType: text("subject_type", { enum: ["incident", "draft"] }).notNull(),
    subjectId: text("subject_id").notNull(),
    dueAt: timestamp("due_at").notNull(),
    /** The last level told: 0 the commander, then the policy's positions. */
    level: integer("level").notNull(),
    lastNotifiedAt: timestamp("last_notified_at").notNull(),
    stoppedAt: timestamp("stopped_at"),
    /** Who stopped it: an actor (`name (id)`) for an acknowledgement, `update` for a posted update. */
    stoppedBy: text("stopped_by"),
  },
  (t) => [index("escalations_open_idx").on(t.stoppedAt, t.subjectType)],
);
