import { and, inArray, isNull } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { people } from "../../db/schema.ts";

export type PersonContact = { id: string; name: string; email: string };

/** The people an escalation mails, by id: their name and address. A removed person is told nothing. */
export async function personContacts(db: Db, ids: readonly string[]): Promise<Map<string, PersonContact>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: people.id, name: people.name, email: people.email })
    .from(people)
    .where(and(isNull(people.removedAt), inArray(people.id, [...ids])));
  return new Map(rows.map((row) => [row.id, row]));
}
