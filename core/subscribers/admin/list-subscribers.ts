import { and, asc, count, eq, gt, inArray, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { subscriberComponents, subscribers } from "../../../db/schema.ts";
import { requireRole } from "../../actions/authorize.ts";
import type { ActionContext, Role } from "../../actions/context.ts";
import { seesAddresses } from "../address-visibility.ts";
import { type AdminSubscriber, adminSubscriber, type SubscriberRow } from "./subscriber-view.ts";

export type SubscriberFilter = {
  state?: SubscriberRow["state"] | undefined;
  channel?: SubscriberRow["channel"] | undefined;
  /** A piece of the address, any case; below admin only a whole address (see `searchCondition`). */
  search?: string | undefined;
};

function conditions(filter: SubscriberFilter, role: Role): SQL | undefined {
  const where: SQL[] = [];
  if (filter.state) where.push(eq(subscribers.state, filter.state));
  if (filter.channel) where.push(eq(subscribers.channel, filter.channel));
  if (filter.search) where.push(searchCondition(filter.search, role));
  return and(...where);
}

/**
 * An admin finds subscribers by any piece of the address. Below admin, where addresses are masked, only
 * the whole address matches: a piece would spell out an address or a webhook URL one guess at a time.
 */
function searchCondition(search: string, role: Role): SQL {
  // instr, not LIKE: a `%` or `_` typed in the search means itself.
  if (seesAddresses(role)) return sql`instr(${subscribers.address}, ${search.toLowerCase()}) > 0`;
  const whole = search.trim();
  return inArray(subscribers.address, [...new Set([whole, whole.toLowerCase()])]);
}

/** Subscribers in id order, a page at a time (`after`: the last id of the previous page). */
export async function listSubscribers(
  ctx: ActionContext,
  filter: SubscriberFilter & { limit: number; after?: string | undefined },
): Promise<AdminSubscriber[]> {
  requireRole(ctx, "viewer", "list subscribers");
  const where = and(conditions(filter, ctx.actor.role), filter.after ? gt(subscribers.id, filter.after) : undefined);
  const rows = await ctx.db.select().from(subscribers).where(where).orderBy(asc(subscribers.id)).limit(filter.limit);
  return withComponents(ctx.db, rows, ctx.actor.role);
}

/** The rows with their component scopes, read in one query. */
export async function withComponents(db: Db, rows: SubscriberRow[], role: Role): Promise<AdminSubscriber[]> {
  const scoped = rows.filter((r) => !r.allComponents).map((r) => r.id);
  const scopes = new Map<string, string[]>();
  if (scoped.length > 0) {
    const links = await db
      .select()
      .from(subscriberComponents)
      .where(inArray(subscriberComponents.subscriberId, scoped));
    for (const link of links)
      scopes.set(link.subscriberId, [...(scopes.get(link.subscriberId) ?? []), link.componentId]);
  }
  return rows.map((row) => adminSubscriber(row, scopes.get(row.id) ?? [], role));
}

export type SubscriberCounts = {
  total: number;
  by_state: Record<SubscriberRow["state"], number>;
  by_channel: Record<SubscriberRow["channel"], number>;
  /** Matching the search, when one was given. */
  matching?: number;
};

/** How many subscribers there are, by state and by channel (one GROUP BY on the state index). */
export async function countSubscribers(ctx: ActionContext, filter: SubscriberFilter = {}): Promise<SubscriberCounts> {
  requireRole(ctx, "viewer", "count subscribers");
  const rows = await ctx.db
    .select({ state: subscribers.state, channel: subscribers.channel, n: count() })
    .from(subscribers)
    .groupBy(subscribers.state, subscribers.channel);
  const counts: SubscriberCounts = {
    total: 0,
    by_state: { unconfirmed: 0, active: 0, quarantined: 0, unsubscribed: 0, disabled: 0 },
    by_channel: { email: 0, webhook: 0 },
  };
  for (const row of rows) {
    counts.total += row.n;
    counts.by_state[row.state] += row.n;
    counts.by_channel[row.channel] += row.n;
  }
  if (filter.search || filter.state || filter.channel) {
    const [matching] = await ctx.db.select({ n: count() }).from(subscribers).where(conditions(filter, ctx.actor.role));
    counts.matching = matching?.n ?? 0;
  }
  return counts;
}
