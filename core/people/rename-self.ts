import { and, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { people } from "../../db/schema.ts";
import { defineAction, type Outcome } from "../actions/define.ts";
import { forbidden } from "../actions/errors.ts";
import { safeText } from "../text/safe-text.ts";
import { type PersonSummary, personSummary } from "./schemas.ts";

/** A person changes the name the team (and the audit log from now on) knows them by. */
export const renameSelf = defineAction({
  name: "person.rename",
  role: "viewer",
  doing: "change their name",
  input: z.object({ name: safeText({ max: 100, required: "a name is required" }) }).strict(),
  async load(ctx) {
    const [person] = await ctx.db
      .select()
      .from(people)
      .where(and(eq(people.id, ctx.actor.id), isNull(people.removedAt)));
    return { db: ctx.db, person };
  },
  plan({ db, person }, { name }, { now }): Outcome<PersonSummary> {
    if (!person) throw forbidden("Only a person signed in as themselves has a name to change; a token has none.");
    if (person.name === name) return { changes: [], result: personSummary(person) };
    const updated = { ...person, name, updatedAt: now.toISOString() };
    return {
      changes: [
        {
          statements: [db.update(people).set({ name, updatedAt: updated.updatedAt }).where(eq(people.id, person.id))],
          audit: {
            action: "person.rename",
            targetType: "person",
            targetId: person.id,
            details: { from: person.name, to: name },
          },
          jobs: [],
        },
      ],
      result: personSummary(updated),
    };
  },
});
