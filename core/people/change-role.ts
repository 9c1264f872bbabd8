import { and, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { people } from "../../db/schema.ts";
import { defineAction, type Outcome } from "../actions/define.ts";
import { forbidden } from "../actions/errors.ts";
import { keepLastAdmin, loadPersonAndAdmins, requirePerson } from "./load-person.ts";
import { type PersonSummary, personRoleSchema, personSummary } from "./schemas.ts";

/** Gives a person another role (admin only; nobody changes their own; the last admin stays one). */
export const changePersonRole = defineAction({
  name: "person.change_role",
  role: "admin",
  doing: "change people's roles",
  input: z.object({ id: z.string().describe("the person's id"), role: personRoleSchema }).strict(),
  async load(ctx, { id }) {
    return { db: ctx.db, ...(await loadPersonAndAdmins(ctx, id)) };
  },
  plan({ db, person: found, anotherAdmin }, { id, role }, { now, actor }): Outcome<PersonSummary> {
    const person = requirePerson(found, id);
    if (person.id === actor.id) throw forbidden("Nobody changes their own role: ask another admin.");
    if (person.role === role) return { changes: [], result: personSummary(person) };
    if (role !== "admin") keepLastAdmin(person, anotherAdmin, "demote them");
    const updated = { ...person, role, updatedAt: now.toISOString() };
    const statement = db
      .update(people)
      .set({ role, updatedAt: updated.updatedAt })
      .where(and(eq(people.id, id), isNull(people.removedAt)));
    return {
      changes: [
        {
          statements: [statement],
          audit: {
            action: "person.change_role",
            targetType: "person",
            targetId: id,
            details: { name: person.name, from: person.role, to: role },
          },
          jobs: [],
        },
      ],
      result: personSummary(updated),
    };
  },
});
