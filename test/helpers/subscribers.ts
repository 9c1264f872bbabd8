import { sql } from "drizzle-orm";
import type { Clock } from "../../core/actions/clock.ts";
import type { Db } from "../../db/client.ts";
import { subscriberComponents, subscribers } from "../../db/schema.ts";
import { openIncidentNow } from "./actions.ts";
import { contextFor } from "./database.ts";

type SubscriberRow = typeof subscribers.$inferInsert;

/**
 * Confirmed subscribers written straight into the table, in chunks (the subscribe actions are tested
 * on their own; fan-out and sending tests need thousands of them fast). Ids are `s` + zero-padded index.
 */
export async function addSubscribers(
  db: Db,
  count: number,
  options: {
    at?: string;
    address?: (index: number) => string;
    state?: SubscriberRow["state"];
    components?: string[];
    prefix?: string;
  } = {},
): Promise<string[]> {
  const at = options.at ?? "2026-11-26T09:00:00.000Z";
  const prefix = options.prefix ?? "s";
  const ids: string[] = [];
  for (let start = 0; start < count; start += 1000) {
    const rows: SubscriberRow[] = [];
    for (let i = start; i < Math.min(count, start + 1000); i++) {
      const id = `${prefix}${String(i).padStart(11 - prefix.length + 1, "0")}`.slice(0, 12);
      ids.push(id);
      rows.push({
        id,
        channel: "email",
        address: options.address?.(i) ?? `reader${prefix}${i}@example.test`,
        format: "email",
        state: options.state ?? "active",
        allComponents: !options.components,
        source: "import",
        createdAt: at,
        updatedAt: at,
      });
    }
    await db.insert(subscribers).values(rows);
    const scope = options.components;
    if (scope)
      await db
        .insert(subscriberComponents)
        .values(rows.flatMap((row) => scope.map((componentId) => ({ subscriberId: row.id, componentId }))));
  }
  return ids;
}

/** Deliveries by state, for assertions. */
export async function deliveryStates(db: Db): Promise<Record<string, number>> {
  const rows = await db.all<{ state: string; n: number }>(
    sql`SELECT state, count(*) AS n FROM deliveries GROUP BY state`,
  );
  return Object.fromEntries(rows.map((row) => [row.state, row.n]));
}

/**
 * A page-wide incident whose own update told no one (`deliver_notifications: false`): tests that queue
 * events by hand point them at it, so each mail has a real incident to show.
 */
export async function openQuietIncident(db: Db, clock: Clock, name = "Elevated API error rates"): Promise<string> {
  const incident = await openIncidentNow(contextFor(db, clock), {
    name,
    body: "We are investigating elevated error rates on the API.",
    deliver_notifications: false,
  });
  return incident.id;
}
