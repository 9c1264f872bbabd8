import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";

export type PersonContact = { id: string; name: string; email: string };

/**
 * The people an escalation mails, by id: their name and address, from issue 23's `people` table (migration
 * 0021 of branch team-people, per the slices' shared design: id, name, email, removed_at). Read in plain SQL
 * until that table is in db/schema.ts; while it does not exist no id resolves, and a level reaches its team
 * channels only. A removed person is told nothing.
 */
export async function personContacts(db: Db, ids: readonly string[]): Promise<Map<string, PersonContact>> {
  if (ids.length === 0) return new Map();
  const table = await db.all<{ name: string }>(
    sql`SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'people'`,
  );
  if (table.length === 0) return new Map();
  const rows = await db.all<PersonContact>(
    sql`SELECT id, name, email FROM people WHERE removed_at IS NULL AND id IN (${sql.join(
      ids.map((id) => sql`${id}`),
      sql`, `,
    )})`,
  );
  return new Map(rows.map((row) => [row.id, row]));
}
