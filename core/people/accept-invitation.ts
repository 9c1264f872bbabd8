import { and, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { invitations, people } from "../../db/schema.ts";
import type { ActionContext, Actor } from "../actions/context.ts";
import { invalid } from "../actions/errors.ts";
import { parseInput } from "../actions/validation.ts";
import { commitChange } from "../changes/commit.ts";
import { failUnlessChanged, isStalePlan } from "../changes/guard.ts";
import { newId } from "../model/ids.ts";
import { safeText } from "../text/safe-text.ts";
import { hashToken } from "../tokens/token-hash.ts";
import { linkRowId } from "./link-tokens.ts";
import type { PersonRole } from "./schemas.ts";

export const acceptInvitationInput = z
  .object({
    token: z.string().max(200),
    name: safeText({ max: 100, required: "a name is required" }),
  })
  .strict();

/** Why a link does not work, in words that do not say whether an account exists. */
export const LINK_NOT_VALID =
  "This link is not valid: it was used already, withdrawn or has expired. Ask for a new one.";

export type OpenInvitation = { id: string; email: string; role: PersonRole };

/** The invitation a link names while it is still open, or null (wrong, used, withdrawn, expired). */
export async function openInvitation(
  ctx: Pick<ActionContext, "db" | "clock">,
  token: string,
): Promise<OpenInvitation | null> {
  const id = linkRowId(token);
  if (!id) return null;
  const [row] = await ctx.db.select().from(invitations).where(eq(invitations.id, id));
  if (!row || row.acceptedAt || row.revokedAt || row.expiresAt <= ctx.clock.now().toISOString()) return null;
  if (row.tokenHash !== (await hashToken(token))) return null;
  return { id: row.id, email: row.email, role: row.role };
}

/**
 * Accepts an invitation: the person exists with the invited email and role, the link is spent, both in
 * one batch guarded so a second use (or a race) creates nobody. Returns the new person as the actor
 * their console session acts as.
 */
export async function acceptInvitation(ctx: Omit<ActionContext, "actor">, rawInput: unknown): Promise<Actor> {
  const input = parseInput(acceptInvitationInput, rawInput);
  const invitation = await openInvitation(ctx, input.token);
  if (!invitation) throw invalid(LINK_NOT_VALID);
  const [member] = await ctx.db.select({ id: people.id }).from(people).where(eq(people.email, invitation.email));
  if (member) throw invalid(`${invitation.email} already has an account: sign in instead.`);
  const now = ctx.clock.now().toISOString();
  const actor: Actor = { id: newId(), name: input.name, role: invitation.role, kind: "person" };
  try {
    await commitChange(
      { ...ctx, actor },
      {
        statements: [
          ctx.db
            .update(invitations)
            .set({ acceptedAt: now })
            .where(
              and(eq(invitations.id, invitation.id), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)),
            ),
          failUnlessChanged(ctx.db),
          ctx.db.insert(people).values({
            id: actor.id,
            name: input.name,
            email: invitation.email,
            role: invitation.role,
            createdAt: now,
            updatedAt: now,
            lastSignInAt: now,
          }),
        ],
        audit: {
          action: "person.accept_invitation",
          targetType: "person",
          targetId: actor.id,
          details: { name: input.name, email: invitation.email, role: invitation.role, invitation: invitation.id },
        },
        jobs: [],
      },
    );
  } catch (error) {
    if (isStalePlan(error)) throw invalid(LINK_NOT_VALID);
    throw error;
  }
  return actor;
}
