import { and, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { invitations, people } from "../../db/schema.ts";
import { defineAction, type Outcome } from "../actions/define.ts";
import { HeraldError } from "../actions/errors.ts";
import { newId } from "../model/ids.ts";
import { emailAddress } from "../subscribers/email-address.ts";
import { hashToken } from "../tokens/token-hash.ts";
import { personLinkToken } from "./link-tokens.ts";
import { personMailRows } from "./person-mail-events.ts";
import { INVITATION_VALID_MS, type InvitationSummary, invitationSummary, personRoleSchema } from "./schemas.ts";

export const invitePersonInput = z.object({ email: emailAddress, role: personRoleSchema }).strict();

/**
 * Invites someone by email: a single-use link valid for 7 days, mailed through the outbox (a personal
 * `person.invitation` event carrying the invitation's id only). Someone already on the team cannot be invited again.
 */
export const invitePerson = defineAction({
  name: "person.invite",
  role: "admin",
  doing: "invite people",
  input: invitePersonInput,
  async load(ctx, { email }) {
    const id = newId();
    const [member] = await ctx.db
      .select({ id: people.id })
      .from(people)
      .where(and(eq(people.email, email), isNull(people.removedAt)));
    const mail = await personMailRows(ctx.db, { email, purpose: "invitation", id, now: ctx.clock.now() });
    return { db: ctx.db, id, member, mail, tokenHash: await hashToken(await personLinkToken(ctx, "invitation", id)) };
  },
  plan({ db, id, member, mail, tokenHash }, input, { now, actor }): Outcome<InvitationSummary> {
    if (member) throw new HeraldError("conflict", `${input.email} is already on the team.`);
    const row = {
      id,
      email: input.email,
      role: input.role,
      invitedBy: actor.id,
      tokenHash,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + INVITATION_VALID_MS).toISOString(),
      acceptedAt: null,
      revokedAt: null,
    };
    return {
      changes: [
        {
          statements: [db.insert(invitations).values(row), ...mail.statements],
          audit: { action: "person.invite", targetType: "invitation", targetId: id, details: input },
          jobs: mail.jobs,
        },
      ],
      result: invitationSummary(row),
    };
  },
});
