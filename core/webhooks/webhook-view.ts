import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { subscriberComponents, subscribers } from "../../db/schema.ts";
import { notFound } from "../actions/errors.ts";
import type { WebhookFormat } from "./schemas.ts";

export type WebhookSubscriber = typeof subscribers.$inferSelect;

/** A webhook as the admin API shows it: never its secret, except once when it is created or rotated. */
export type WebhookView = {
  id: string;
  url: string;
  format: WebhookFormat;
  state: WebhookSubscriber["state"];
  owner_email: string | null;
  /** The team's own: it also gets team events (update overdue), which no subscriber ever gets. */
  team: boolean;
  /** null: the whole page. */
  components: string[] | null;
  source: WebhookSubscriber["source"];
  created_at: string;
  confirmed_at: string | null;
  /** Failures in a row and since when; a webhook failing for 24 h is disabled. */
  hard_failures: number;
  failing_since: string | null;
  disabled_at: string | null;
};

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
