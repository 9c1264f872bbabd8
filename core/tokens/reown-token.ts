import { eq } from "drizzle-orm";
import { z } from "zod";
import { apiTokens, people } from "../../db/schema.ts";
import { defineAction, type Outcome } from "../actions/define.ts";
import { invalid, notFound } from "../actions/errors.ts";
import { PERSON_ID } from "../escalation/commander.ts";
import { type TokenSummary, tokenSummary } from "./list-tokens.ts";

export const reownTokenInput = z.strictObject({
  id: z.string().describe("the token's id"),
  owner_person_id: z
    .string()
    .regex(PERSON_ID, "must be a person's id (lowercase letters and digits)")
    .nullable()
    .describe("the person of the team who owns it from now on; null: a named integration, owned by nobody"),
});

/**
 * Gives a token another owner (admin). Removing a person leaves their tokens working, for the scripts that use
 * them, shown as "owner removed" until an admin re-owns them here (docs/team.md, People and roles).
 */
export const reownToken = defineAction({
  name: "token.reown",
  role: "admin",
  doing: "change who owns API tokens",
  input: reownTokenInput,
  async load(ctx, { id, owner_person_id }) {
    const [[token], [person]] = await Promise.all([
      ctx.db.select().from(apiTokens).where(eq(apiTokens.id, id)),
      owner_person_id
        ? ctx.db
            .select({ id: people.id, name: people.name, removedAt: people.removedAt })
            .from(people)
            .where(eq(people.id, owner_person_id))
        : [],
    ]);
    return { db: ctx.db, token, person };
  },
  plan({ db, token, person }, { id, owner_person_id }): Outcome<TokenSummary> {
    if (!token) throw notFound(`There is no API token with id "${id}" (see GET /api/tokens).`);
    if (owner_person_id && (!person || person.removedAt)) {
      throw invalid("A token's owner must be a person on the team.", [
        { path: "owner_person_id", message: "is nobody on the team (removed, or never there)" },
      ]);
    }
    return {
      changes: [
        {
          statements: [db.update(apiTokens).set({ ownerPersonId: owner_person_id }).where(eq(apiTokens.id, id))],
          audit: {
            action: "token.reown",
            targetType: "api_token",
            targetId: id,
            details: { before: token.ownerPersonId, after: owner_person_id },
          },
          jobs: [],
        },
      ],
      result: tokenSummary(
        { ...token, ownerPersonId: owner_person_id },
        person ? { name: person.name, removed: false } : null,
      ),
    };
  },
});
