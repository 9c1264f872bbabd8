import { z } from "zod";
import { id, v2Component, v2Incident, v2Maintenance, webhookSchemas } from "../../public/statuspage-schemas.ts";
import { componentHeraldBlock } from "../component/webhook-contract.ts";

export { webhookSchemas };

import { EVENTS, isNotificationKind, NOTIFICATION_KINDS, type NotificationKind } from "../events.ts";
import { draftHeraldBlock, draftWebhookDraft } from "./draft-contract.ts";
import { reviewHeraldBlock, reviewWebhookReview } from "./review-contract.ts";

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

const time = z.iso.datetime({ offset: true });
const url = z.url({ protocol: /^https?$/ });

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

/** A draft's team notice carries the draft and its alerts instead of an incident (draft-contract.ts). */
function draftPayloadSchema(kind: WebhookKind) {
  return z
    .strictObject({
      meta,
      page,
      draft: draftWebhookDraft,
      herald: draftHeraldBlock(webhookEventOf(kind), WEBHOOK_PAYLOAD_VERSION),
    })
    .register(webhookSchemas, { id: webhookPayloadSchemaId(kind), description: webhookEventDocumentation(kind) });
}

/** The weekly review carries the week's figures instead of an incident (review-contract.ts). */
function reviewPayloadSchema(kind: WebhookKind) {
  return z
    .strictObject({
      meta,
      page,
      review: reviewWebhookReview,
      herald: reviewHeraldBlock(webhookEventOf(kind), WEBHOOK_PAYLOAD_VERSION),
    })
    .register(webhookSchemas, { id: webhookPayloadSchemaId(kind), description: webhookEventDocumentation(kind) });
}

/** A component's retirement notice carries the component and its deprecation (component/webhook-contract.ts). */
function componentPayloadSchema(kind: WebhookKind) {
  return z
    .strictObject({
      meta,
      page,
      component: v2Component,
      herald: componentHeraldBlock(webhookEventOf(kind), WEBHOOK_PAYLOAD_VERSION),
    })
    .register(webhookSchemas, { id: webhookPayloadSchemaId(kind), description: webhookEventDocumentation(kind) });
}

function payloadSchema(kind: WebhookKind): z.ZodType {
  if (kind.startsWith("alert.")) return draftPayloadSchema(kind);
  if (kind === "review.weekly") return reviewPayloadSchema(kind);
  if (kind.startsWith("component.")) return componentPayloadSchema(kind);
  return z
    .strictObject({ meta, page, incident: incidentSchema(kind), herald: heraldBlock(kind) })
    .register(webhookSchemas, { id: webhookPayloadSchemaId(kind), description: webhookEventDocumentation(kind) });
}

export const WEBHOOK_PAYLOAD_SCHEMAS = Object.fromEntries(
  WEBHOOK_KINDS.map((kind) => [kind, payloadSchema(kind)]),
) as Record<WebhookKind, z.ZodType>;

/** Herald's own block of a `json` payload, as built (the schemas above check each kind's stricter form). */
export type HeraldBlock = z.output<ReturnType<typeof heraldBlock>>;
export type WebhookLinks = z.output<typeof links>;
export type WebhookPostmortem = z.output<typeof postmortem>;
