import { eq } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { subscribers } from "../../../db/schema.ts";
import { notFound } from "../../actions/errors.ts";
import { subscriberScope } from "../scope.ts";
import type { SubscriberRow } from "./subscriber-view.ts";

/** The subscriber an admin names by id, or a 404. */
export async function findSubscriberById(db: Db, id: string): Promise<SubscriberRow> {
  const [row] = await db.select().from(subscribers).where(eq(subscribers.id, id));
  if (!row) throw notFound(`There is no subscriber with id "${id}".`);
  return row;
}

/** A subscriber and its chosen components (none read for the whole page), for an admin action's plan. */
export async function loadSubscriber(db: Db, id: string): Promise<{ db: Db; row: SubscriberRow; scope: string[] }> {
  const row = await findSubscriberById(db, id);
  return { db, row, scope: row.allComponents ? [] : await subscriberScope(db, id) };
}
