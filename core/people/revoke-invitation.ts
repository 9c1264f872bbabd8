import { and, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { invitations } from "../../db/schema.ts";
import { defineAction, type Outcome } from "../actions/define.ts";
import { notFound } from "../actions/errors.ts";

/** Withdraws an invitation: its link stops working at once. Revoking it twice changes nothing. */
export const revokeInvitation = defineAction({
  name: "person.revoke_invitation",
  role: "admin",
  doing: "revoke invitations",
  input: z.object({ id: z.string().describe("the invitation's id") }).strict(),
  async load(ctx, { id }) {
    const [invitation] = await ctx.db.select().from(invitations).where(eq(invitations.id, id));
    return { db: ctx.db, invitation };
  },
  plan({ db, invitation }, { id }, { now }): Outcome<{ outcome: "revoked" | "already_closed" }> {
    if (!invitation) throw notFound(`There is no invitation with id "${id}".`);
    if (invitation.revokedAt || invitation.acceptedAt) return { changes: [], result: { outcome: "already_closed" } };
    const statement = db
      .update(invitations)
      .set({ revokedAt: now.toISOString() })
      .where(and(eq(invitations.id, id), isNull(invitations.revokedAt), isNull(invitations.acceptedAt)));
    return {
      changes: [
        {
          statements: [statement],
          audit: {
            action: "person.revoke_invitation",
            targetType: "invitation",
            targetId: id,
            details: { email: invitation.email },
          },
          jobs: [],
        },
      ],
      result: { outcome: "revoked" },
    };
  },
});
