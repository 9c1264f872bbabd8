import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client.ts";
import { subscriberComponents, subscribers } from "../../db/schema.ts";
import { notFound } from "../actions/errors.ts";
import { SUBSCRIBER_SOURCES, SUBSCRIBER_STATES } from "../subscribers/admin/schemas.ts";
import { WEBHOOK_FORMATS } from "./schemas.ts";

export type WebhookSubscriber = typeof subscribers.$inferSelect;

const time = z.string().describe("ISO 8601, UTC");

/** A webhook as the admin API shows it: never its secret, except once when it is created or rotated. */
export const webhookViewSchema = z.object({
  id: z.string(),
  url: z.string(),
  format: z.enum(WEBHOOK_FORMATS),
  state: z.enum(SUBSCRIBER_STATES),
  owner_email: z.string().nullable(),
  team: z
    .boolean()
    .describe("the team's own: it also gets team events (update overdue), which no subscriber ever gets"),
  components: z.array(z.string()).nullable().describe("component or group ids; null: the whole page"),
  source: z.enum(SUBSCRIBER_SOURCES),
  created_at: time,
  confirmed_at: time.nullable(),
  hard_failures: z.int().describe("failures in a row; a webhook failing for 24 h is disabled"),
  failing_since: time.nullable(),
  disabled_at: time.nullable(),
});

export type WebhookView = z.output<typeof webhookViewSchema>;

/** A webhook with its signing secret, which is shown only when it is created and on rotation. */
export const webhookWithSecretSchema = webhookViewSchema.extend({
  secret: z.string().describe("whsec_…, Standard Webhooks; shown only now"),
});

export type WebhookWithSecret = z.output<typeof webhookWithSecretSchema>;

export function webhookView(row: WebhookSubscriber, components: string[]): WebhookView {
  return {
    id: row.id,
    url: row.address,
    format: row.format === "email" ? "json" : row.format,
    state: row.state,
    owner_email: row.ownerEmail,
    team: row.team,
    components: row.allComponents ? null : components,
    source: row.source,
    created_at: row.createdAt,
    confirmed_at: row.confirmedAt,
    hard_failures: row.hardFailures,
    failing_since: row.failingSince,
    disabled_at: row.disabledAt,
  };
}

/** Every webhook's scope, in one read. */
export async function webhookScopes(db: Db, ids: string[]): Promise<Map<string, string[]>> {
  const scopes = new Map<string, string[]>();
  if (ids.length === 0) return scopes;
  const rows = await db
    .select()
    .from(subscriberComponents)
    .where(inArray(subscriberComponents.subscriberId, ids))
    .orderBy(subscriberComponents.componentId);
  for (const row of rows) scopes.set(row.subscriberId, [...(scopes.get(row.subscriberId) ?? []), row.componentId]);
  return scopes;
}

export async function getWebhook(db: Db, id: string): Promise<WebhookSubscriber> {
  const [row] = await db
    .select()
    .from(subscribers)
    .where(and(eq(subscribers.id, id), eq(subscribers.channel, "webhook")));
  if (!row) throw notFound(`There is no webhook with id "${id}" (see GET /api/webhooks).`);
  return row;
}
