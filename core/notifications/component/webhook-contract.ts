import { z } from "zod";
import { COMPONENT_STAGES } from "../../../db/enums.ts";
import { time, url, webhookSchemas } from "../../public/statuspage-schemas.ts";

/**
 * The `json` payload of a component's retirement notice: Statuspage's `meta`, `page` and `component`
 * (the shape its component webhooks carry) and Herald's `herald` block with the deprecation itself.
 */
export const componentWebhookLinks = z
  .strictObject({
    /** The component's public page: its history stays there after the sunset. */
    component: url,
    manage: url,
    unsubscribe: url,
    documentation: url,
  })
  .register(webhookSchemas, { id: "WebhookComponentLinks", description: "Links of a component's retirement notice." });

export const componentRetirement = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    stage: z.enum(COMPONENT_STAGES),
    /** When it leaves the page (when it left, once sunset). */
    sunset_at: time.nullable(),
    deprecated_at: time.nullable(),
    /** What users should do (Markdown), as the team wrote it. */
    message: z.string().nullable(),
  })
  .register(webhookSchemas, {
    id: "WebhookComponentRetirement",
    description: "A component's deprecation: its stage, sunset date and message.",
  });

export function componentHeraldBlock(event: string, version: number) {
  return z.strictObject({
    version: z.literal(version),
    event: z.literal(event),
    event_id: z.string(),
    created_at: time,
    component: componentRetirement,
    /** True on the last POST of a subscription that named only this component: it has ended. */
    subscription_ended: z.boolean(),
    links: componentWebhookLinks,
  });
}
