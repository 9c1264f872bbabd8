import { z } from "zod";
import { webhookSchemas } from "../../public/statuspage-schemas.ts";

/**
 * The `json` payload of the weekly review (`review.weekly`), sent to the team's own webhooks: the week, its
 * headline figures beside the week before (in words, as the mail says them), the worst incidents, what is due,
 * and the `herald` block with the console link. No Statuspage equivalent: it is the team's, never public.
 */
const time = z.iso.datetime({ offset: true });
const url = z.url({ protocol: /^https?$/ });

const item = z.strictObject({ name: z.string(), figure: z.string(), link: url });

export const reviewWebhookReview = z
  .strictObject({
    /** "Week 11, 2026". */
    week: z.string(),
    /** "Mar 2, 2026 – Mar 8, 2026", in the page's time zone. */
    period: z.string(),
    figures: z.array(z.strictObject({ label: z.string(), now: z.string(), before: z.string(), change: z.string() })),
    worst_first_post: z.array(item),
    worst_promises: z.array(item),
    postmortems_due: z.array(item),
    sunsets: z.array(item),
  })
  .register(webhookSchemas, { id: "WebhookReview", description: "The week's reliability review, in words." });

export function reviewHeraldBlock(event: string, version: number) {
  return z.strictObject({
    version: z.literal(version),
    event: z.literal(event),
    event_id: z.string(),
    created_at: time,
    links: z.strictObject({ console: url, manage: url, unsubscribe: url, documentation: url }),
  });
}
