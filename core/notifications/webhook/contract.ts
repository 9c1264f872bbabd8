import { z } from "zod";
import {
  COMPONENT_STATUSES,
  IMPACTS,
  INCIDENT_STATUSES,
  MAINTENANCE_STATUSES,
  UPDATE_STATUSES,
} from "../../statuses.ts";
import { EVENTS, isNotificationKind, NOTIFICATION_KINDS, type NotificationKind } from "../events.ts";

/**
 * The `json` webhook payload as a contract: Statuspage's body (`meta`, `page`, `incident`) unchanged for
 * existing consumers, and beside it Herald's own `herald` block (version, event type, links, the
 * postmortem). One zod schema per event type; the OpenAPI document's `webhooks` are generated from them.
 */
export const WEBHOOK_PAYLOAD_VERSION = 2;

/** The kinds POSTed to webhooks: those core/notifications/events.ts gives a webhook event type. */
export type WebhookKind = {
  [K in NotificationKind]: (typeof EVENTS)[K]["webhookEvent"] extends null ? never : K;
}[NotificationKind];

export function isWebhookKind(kind: string): kind is WebhookKind {
  return isNotificationKind(kind) && EVENTS[kind].webhookEvent !== null;
}

export const WEBHOOK_KINDS: readonly WebhookKind[] = NOTIFICATION_KINDS.filter(isWebhookKind);

/** What a kind's event type means, for the OpenAPI document (the registry's text). */
export function webhookEventDocumentation(kind: WebhookKind): string {
  return EVENTS[kind].webhookEvent?.documentation ?? "";
}

/** The event type a payload of this kind carries in `herald.event` (the registry's name). */
export function webhookEventOf(kind: WebhookKind): string {
  return EVENTS[kind].webhookEvent?.type ?? kind;
}

const id = z.string().regex(/^[0-9a-z]{12}$/);
const time = z.iso.datetime({ offset: true });
const url = z.url({ protocol: /^https?$/ });

export const webhookSchemas = z.registry<{ id: string; description?: string }>();

const v2Component = z
  .strictObject({
    id,
    name: z.string(),
    status: z.enum(COMPONENT_STATUSES),
    created_at: time,
    updated_at: time,
    position: z.int(),
    description: z.string().nullable(),
    showcase: z.boolean(),
    start_date: z.iso.date().nullable(),
    group_id: id.nullable(),
    page_id: id,
    group: z.boolean(),
    only_show_if_degraded: z.boolean(),
    /** A group's children, only on groups. */
    components: z.array(id).optional(),
  })
  .register(webhookSchemas, { id: "StatuspageComponent", description: "A component as /api/v2 shows it." });

const v2IncidentUpdate = z
  .strictObject({
    id,
    status: z.enum(UPDATE_STATUSES),
    body: z.string(),
    incident_id: id,
    created_at: time,
    updated_at: time,
    display_at: time,
    affected_components: z
      .array(
        z.strictObject({
          code: id,
          name: z.string(),
          old_status: z.enum(COMPONENT_STATUSES),
          new_status: z.enum(COMPONENT_STATUSES),
        }),
      )
      .nullable(),
    deliver_notifications: z.boolean(),
    custom_tweet: z.null(),
    tweet_id: z.null(),
  })
  .register(webhookSchemas, { id: "StatuspageIncidentUpdate", description: "An update as /api/v2 shows it." });

const incidentFields = {
  id,
  name: z.string(),
  impact: z.enum(IMPACTS),
  created_at: time,
  updated_at: time,
  started_at: time,
  monitoring_at: time.nullable(),
  resolved_at: time.nullable(),
  shortlink: url,
  page_id: id,
  incident_updates: z.array(v2IncidentUpdate),
  components: z.array(v2Component),
  reminder_intervals: z.null(),
};

const v2Incident = z
  .strictObject({ ...incidentFields, status: z.enum(INCIDENT_STATUSES) })
  .register(webhookSchemas, { id: "StatuspageIncident", description: "An incident as incidents.json shows it." });

const v2Maintenance = z
  .strictObject({
    ...incidentFields,
    status: z.enum(MAINTENANCE_STATUSES),
    scheduled_for: time.nullable(),
    scheduled_until: time.nullable(),
  })
  .register(webhookSchemas, {
    id: "StatuspageMaintenance",
    description: "A maintenance as scheduled-maintenances.json shows it.",
  });

const meta = z
  .strictObject({
    /** Signed: opening it (and confirming) ends this webhook's subscription. */
    unsubscribe: url,
    documentation: url,
  })
  .register(webhookSchemas, {
    id: "WebhookMeta",
    description: "Statuspage's `meta`: where to leave and where to read.",
  });

const page = z
  .strictObject({
    id,
    status_indicator: z.enum(["none", "minor", "major", "critical", "maintenance"]),
    status_description: z.string(),
  })
  .register(webhookSchemas, { id: "WebhookPage", description: "The page's overall status as status.json shows it." });

const postmortem = z
  .strictObject({
    /** The Markdown source, as `incident_updates[].body` carries an update's. */
    body: z.string(),
    /** The sanitized HTML the page shows. */
    body_html: z.string(),
    published_at: time,
  })
  .register(webhookSchemas, { id: "WebhookPostmortem", description: "A published postmortem." });

const links = z
  .strictObject({
    incident: url,
    /** Signed: the webhook's preferences (components it hears about), no login. */
    manage: url,
    unsubscribe: url,
    documentation: url,
  })
  .register(webhookSchemas, { id: "WebhookLinks", description: "Links for this webhook subscriber." });

function heraldBlock(kind: WebhookKind) {
  return z.strictObject({
    version: z.literal(WEBHOOK_PAYLOAD_VERSION),
    event: z.literal(webhookEventOf(kind)),
    /** The same for every webhook told about this event; `webhook-id` is per delivery. */
    event_id: z.string(),
    created_at: time,
    /** The update this event is about; null when it names none (a reminder, a postmortem, a reschedule). */
    incident_update_id: id.nullable(),
    next_update_due_at: kind === "incident.update_overdue" ? time : time.nullable(),
    postmortem: kind === "postmortem.published" ? postmortem : postmortem.nullable(),
    links,
  });
}

function pascal(event: string): string {
  return event
    .split(/[._]/)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join("");
}

/** The schema id of a kind's payload in the OpenAPI document's `components.schemas`. */
export function webhookPayloadSchemaId(kind: WebhookKind): string {
  return `${pascal(webhookEventOf(kind))}Webhook`;
}

/** An overdue promise may be an incident's or a maintenance's; the other events name their kind. */
function incidentSchema(kind: WebhookKind) {
  if (kind === "incident.update_overdue") return z.union([v2Incident, v2Maintenance]);
  return kind.startsWith("maintenance.") ? v2Maintenance : v2Incident;
}

function payloadSchema(kind: WebhookKind) {
  return z
    .strictObject({ meta, page, incident: incidentSchema(kind), herald: heraldBlock(kind) })
    .register(webhookSchemas, { id: webhookPayloadSchemaId(kind), description: webhookEventDocumentation(kind) });
}

export const WEBHOOK_PAYLOAD_SCHEMAS = Object.fromEntries(
  WEBHOOK_KINDS.map((kind) => [kind, payloadSchema(kind)]),
) as Record<WebhookKind, ReturnType<typeof payloadSchema>>;

/** Herald's own block of a `json` payload, as built (the schemas above check each kind's stricter form). */
export type HeraldBlock = z.output<ReturnType<typeof heraldBlock>>;
export type WebhookLinks = z.output<typeof links>;
export type WebhookPostmortem = z.output<typeof postmortem>;
