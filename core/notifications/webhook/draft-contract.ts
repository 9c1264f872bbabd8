import { z } from "zod";
import { ALERT_SEVERITIES, ALERT_STATUSES } from "../../../db/enums.ts";
import { COMPONENT_STATUSES, IMPACTS, UPDATE_STATUSES } from "../../model/statuses.ts";
import { webhookSchemas } from "../../public/statuspage-schemas.ts";

/**
 * The `json` payload of a draft's team notice (`alert.draft_waiting`, `alert.draft_reminder`): the page's
 * status, the draft incident as it would be published and the firing alerts beside it, and the `herald` block
 * with the console link. There is no Statuspage equivalent: nothing was published.
 */
const time = z.iso.datetime({ offset: true });
const url = z.url({ protocol: /^https?$/ });

export const draftWebhookDraft = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    status: z.enum(UPDATE_STATUSES),
    impact: z.enum(IMPACTS).nullable(),
    /** The drafted text (Markdown), as a person would publish it unless they edit it. */
    body: z.string(),
    components: z.array(z.strictObject({ id: z.string(), name: z.string(), status: z.enum(COMPONENT_STATUSES) })),
    alerts: z.array(
      z.strictObject({
        id: z.string(),
        source_id: z.string(),
        fingerprint: z.string(),
        status: z.enum(ALERT_STATUSES),
        severity: z.enum(ALERT_SEVERITIES).nullable(),
        summary: z.string(),
        labels: z.record(z.string(), z.string()),
        url: z.string().nullable(),
        since: time.nullable(),
      }),
    ),
    created_at: time,
    /** When it publishes by itself (the rule's opt-in); null: only a person publishes it. */
    auto_publish_at: time.nullable(),
  })
  .register(webhookSchemas, { id: "WebhookDraft", description: "A draft incident from alerts, not published." });

export const draftWebhookLinks = z
  .strictObject({
    /** The console's draft screen: review, preview, publish or discard. */
    console: url,
    manage: url,
    unsubscribe: url,
    documentation: url,
  })
  .register(webhookSchemas, { id: "WebhookDraftLinks", description: "Links of a draft notice." });

export function draftHeraldBlock(event: string, version: number) {
  return z.strictObject({
    version: z.literal(version),
    event: z.literal(event),
    event_id: z.string(),
    created_at: time,
    /** 0: the first notice; 1–3: reminders; under an escalation policy, the level told (1 on). */
    notice: z.int().min(0),
    /** Whole minutes the draft has waited. */
    waiting_minutes: z.int().min(0),
    links: draftWebhookLinks,
  });
}
