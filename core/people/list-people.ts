import { and, asc, gt, isNull } from "drizzle-orm";
import { z } from "zod";
import { invitations, people } from "../../db/schema.ts";
import { defineQuery } from "../actions/define.ts";
import {
  type InvitationSummary,
  invitationSummary,
  invitationSummarySchema,
  type PersonSummary,
  personSummary,
  personSummarySchema,
} from "./schemas.ts";

export const teamSchema = z.strictObject({
  people: z.array(personSummarySchema),
  invitations: z.array(invitationSummarySchema),
});

/** The team: its people (removed ones left out), oldest first, and the invitations still open. */
export const listPeople = defineQuery({
  name: "person.list",
  role: "viewer",
  doing: "list the team",
  input: z.object({}),
  async read(ctx, _input, now): Promise<{ people: PersonSummary[]; invitations: InvitationSummary[] }> {
    const [persons, pending] = await Promise.all([
      ctx.db.select().from(people).where(isNull(people.removedAt)).orderBy(asc(people.createdAt), asc(people.id)),
      ctx.db
        .select()
        .from(invitations)
        .where(
          and(
            isNull(invitations.acceptedAt),
            isNull(invitations.revokedAt),
            gt(invitations.expiresAt, now.toISOString()),
          ),
        )
        .orderBy(asc(invitations.createdAt)),
    ]);
    return { people: persons.map(personSummary), invitations: pending.map(invitationSummary) };
  },
});
