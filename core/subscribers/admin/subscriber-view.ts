import { z } from "zod";
import { QUARANTINE_REASONS, SUBSCRIBER_FORMATS } from "../../../db/enums.ts";
import type { subscribers } from "../../../db/schema.ts";
import type { Role } from "../../actions/context.ts";
import { addressFor } from "../address-visibility.ts";
import { SUBSCRIBER_CHANNELS, SUBSCRIBER_SOURCES, SUBSCRIBER_STATES } from "./schemas.ts";

export type SubscriberRow = typeof subscribers.$inferSelect;

const time = z.string().describe("ISO 8601, UTC");

/** A subscriber as the admin API shows it (never its webhook secret; its address, email or URL, in full only to an admin). */
export const adminSubscriberSchema = z.object({
  id: z.string(),
  channel: z.enum(SUBSCRIBER_CHANNELS),
  address: z.string().describe("in full only for an admin: others see `j•••@example.com` and `https://host/…`"),
  format: z.enum(SUBSCRIBER_FORMATS),
  state: z.enum(SUBSCRIBER_STATES),
  all_components: z.boolean(),
  component_ids: z.array(z.string()),
  team: z
    .boolean()
    .describe("a team destination (the team address, a webhook marked the team's own): it also gets team events"),
  source: z.enum(SUBSCRIBER_SOURCES),
  hard_failures: z.int(),
  created_at: time,
  confirmed_at: time.nullable(),
  quarantined_at: time.nullable(),
  quarantine_reason: z
    .enum([...QUARANTINE_REASONS, "manual"])
    .nullable()
    .describe(
      "why it is quarantined: `failures` (hard failures in a row), `bounced` or `complained` (the mail provider's report), `manual` (a person)",
    ),
  soft_bounces: z
    .int()
    .describe("soft bounces the mail provider reported (mailbox full and the like): never a quarantine"),
  unsubscribed_at: time.nullable(),
});

export type AdminSubscriber = z.output<typeof adminSubscriberSchema>;

export function adminSubscriber(row: SubscriberRow, componentIds: string[], role: Role): AdminSubscriber {
  return {
    id: row.id,
    channel: row.channel,
    address: addressFor(role, row.channel, row.address),
    format: row.format,
    state: row.state,
    all_components: row.allComponents,
    component_ids: [...componentIds].sort(),
    team: row.team,
    source: row.source,
    hard_failures: row.hardFailures,
    created_at: row.createdAt,
    confirmed_at: row.confirmedAt,
    quarantined_at: row.quarantinedAt,
    quarantine_reason: row.state === "quarantined" ? (row.quarantineReason ?? "manual") : null,
    soft_bounces: row.softBounces,
    unsubscribed_at: row.unsubscribedAt,
  };
}
