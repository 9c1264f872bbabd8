import type { Db } from "../../db/client.ts";

export type PersonContact = { id: string; name: string; email: string };

/**
 * The people an escalation mails, by id: their name and address. People arrive with issue 23's `people`
 * table (branch team-people); until it is merged no id resolves, and a level reaches its team channels only.
 */
export async function personContacts(_db: Db, _ids: readonly string[]): Promise<Map<string, PersonContact>> {
  return new Map();
}
