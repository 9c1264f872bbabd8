import { sql } from "drizzle-orm";
import { z } from "zod";
import { people } from "../../db/schema.ts";
import type { ActionContext, Actor } from "../actions/context.ts";
import { forbidden, HeraldError } from "../actions/errors.ts";
import { parseInput } from "../actions/validation.ts";
import { commitChange } from "../changes/commit.ts";
import { failUnlessChanged, isStalePlan } from "../changes/guard.ts";
import { newId } from "../model/ids.ts";
import { emailAddress } from "../subscribers/email-address.ts";
import { safeText } from "../text/safe-text.ts";

export const firstAccountInput = z
  .object({ name: safeText({ max: 100, required: "a name is required" }), email: emailAddress })
  .strict();

/** Whether the team has nobody yet (the console then offers the first account to an admin token). */
export async function teamIsEmpty(ctx: Pick<ActionContext, "db">): Promise<boolean> {
  const [any] = await ctx.db.select({ id: people.id }).from(people).limit(1);
  return any === undefined;
}

/**
 * Turns the first admin token's console session into the first person, an admin: allowed only while
 * the team has nobody (guarded in the batch, so two tabs create one person). The caller hands the
 * session over (core/console/sessions.ts, `handSessionToPerson`).
 */
export async function createFirstAccount(ctx: ActionContext, rawInput: unknown): Promise<Actor> {
  if (ctx.actor.role !== "admin") throw forbidden("Only an admin token can create the first account.");
  const input = parseInput(firstAccountInput, rawInput);
  const conflict = new HeraldError("conflict", "The team already has people: ask an admin to invite you.");
  if (!(await teamIsEmpty(ctx))) throw conflict;
  const now = ctx.clock.now().toISOString();
  const person: Actor = { id: newId(), name: input.name, role: "admin", kind: "person" };
  try {
    await commitChange(ctx, {
      statements: [
        ctx.db.run(
          sql`INSERT INTO people (id, name, email, role, created_at, updated_at, last_sign_in_at)
              SELECT ${person.id}, ${input.name}, ${input.email}, 'admin', ${now}, ${now}, ${now}
              WHERE NOT EXISTS (SELECT 1 FROM people)`,
        ),
        failUnlessChanged(ctx.db),
      ],
      audit: {
        action: "person.first_account",
        targetType: "person",
        targetId: person.id,
        details: { name: input.name, email: input.email, role: "admin" },
      },
      jobs: [],
    });
  } catch (error) {
    if (isStalePlan(error)) throw conflict;
    throw error;
  }
  return person;
}
