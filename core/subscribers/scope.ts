import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { components, subscriberComponents, subscribers } from "../../db/schema.ts";
import { invalid } from "../actions/errors.ts";
import type { Statement } from "../changes/commit.ts";

export type SubscriberRow = typeof subscribers.$inferSelect;

/** The email subscriber with this address, if any. */
export async function findEmailSubscriber(db: Db, address: string): Promise<SubscriberRow | undefined> {
  const [row] = await db
    .select()
    .from(subscribers)
    .where(and(eq(subscribers.channel, "email"), eq(subscribers.address, address)));
  return row;
}

export async function findSubscriber(db: Db, id: string): Promise<SubscriberRow | undefined> {
  const [row] = await db.select().from(subscribers).where(eq(subscribers.id, id));
  return row;
}

/** The component and group ids a subscriber chose (empty for the whole page). */
export async function subscriberScope(db: Db, id: string): Promise<string[]> {
  const rows = await db
    .select({ id: subscriberComponents.componentId })
    .from(subscriberComponents)
    .where(eq(subscriberComponents.subscriberId, id));
  return rows.map((row) => row.id);
}

/** Refuses ids that are not components or groups of the page, naming them. */
export async function checkComponentsExist(db: Db, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const rows = await db.select({ id: components.id, stage: components.stage }).from(components);
  const sunset = ids.filter((id) => rows.some((row) => row.id === id && row.stage === "sunset"));
  if (sunset.length > 0) {
    throw invalid(`Component ${sunset.map((id) => `"${id}"`).join(", ")} has left the page (sunset).`, [
      { path: "components", message: `sunset component(s): ${sunset.join(", ")}` },
    ]);
  }
  const known = new Set(rows.map((row) => row.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw invalid(`There is no component with id ${unknown.map((id) => `"${id}"`).join(", ")}.`, [
      { path: "components", message: `unknown component(s): ${unknown.join(", ")}` },
    ]);
  }
}

/** Statements replacing a subscriber's scope with `componentIds` (none: the whole page). */
export function replaceScope(db: Db, subscriberId: string, componentIds: string[]): Statement[] {
  return [
    db.delete(subscriberComponents).where(eq(subscriberComponents.subscriberId, subscriberId)),
    ...(componentIds.length > 0
      ? [db.insert(subscriberComponents).values(componentIds.map((componentId) => ({ subscriberId, componentId })))]
      : []),
  ];
}
