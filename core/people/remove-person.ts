import { and, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { consoleSessions, people, signInLinks } from "../../db/schema.ts";
import { defineAction, type Outcome } from "../actions/define.ts";
import { keepLastAdmin, loadPersonAndAdmins, requirePerson } from "./load-person.ts";

/**
 * Removes a person from the team (admin only): their sessions and sign-in links end in the same batch,
 * so their next console request signs them out. The row stays so the audit log keeps their name. The
 * last admin stays.
 */
export const removePerson = defineAction({
  name: "person.remove",
  role: "admin",
  doing: "remove people",
  input: z.object({ id: z.string().describe("the person's id") }).strict(),
  async load(ctx, { id }) {
    return { db: ctx.db, ...(await loadPersonAndAdmins(ctx, id)) };
  },
  plan({ db, person: found, anotherAdmin }, { id }, { now }): Outcome<{ outcome: "removed" }> {
    const person = requirePerson(found, id);
    keepLastAdmin(person, anotherAdmin, "remove them");
    const at = now.toISOString();
    return {
      changes: [
        {
          statements: [
            db
              .update(people)
              .set({ removedAt: at, updatedAt: at })
              .where(and(eq(people.id, id), isNull(people.removedAt))),
            db.delete(consoleSessions).where(eq(consoleSessions.personId, id)),
            db.delete(signInLinks).where(eq(signInLinks.personId, id)),
          ],
          audit: {
            action: "person.remove",
            targetType: "person",
            targetId: id,
            details: { name: person.name, email: person.email, role: person.role },
          },
          jobs: [],
        },
      ],
      result: { outcome: "removed" },
    };
  },
});
