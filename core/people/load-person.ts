import { and, eq, isNull, ne } from "drizzle-orm";
import { people } from "../../db/schema.ts";
import type { ActionContext } from "../actions/context.ts";
import { HeraldError, notFound } from "../actions/errors.ts";

export type PersonRow = typeof people.$inferSelect;

/** A person on the team (not removed) and whether another admin remains besides them. */
export async function loadPersonAndAdmins(
  ctx: ActionContext,
  id: string,
): Promise<{ person: PersonRow | undefined; anotherAdmin: boolean }> {
  const [[person], [other]] = await Promise.all([
    ctx.db
      .select()
      .from(people)
      .where(and(eq(people.id, id), isNull(people.removedAt))),
    ctx.db
      .select({ id: people.id })
      .from(people)
      .where(and(eq(people.role, "admin"), isNull(people.removedAt), ne(people.id, id)))
      .limit(1),
  ]);
  return { person, anotherAdmin: other !== undefined };
}

export function requirePerson(person: PersonRow | undefined, id: string): PersonRow {
  if (!person) throw notFound(`There is no person with id "${id}" on the team (see GET /api/people).`);
  return person;
}

/** The last admin stays: someone must be able to invite and change roles. */
export function keepLastAdmin(person: PersonRow, anotherAdmin: boolean, doing: string): void {
  if (person.role === "admin" && !anotherAdmin) {
    throw new HeraldError(
      "conflict",
      `${person.name} is the last admin: make someone else an admin before you ${doing}.`,
    );
  }
}
