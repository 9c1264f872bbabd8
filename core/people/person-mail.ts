import { and, eq, gt, isNull } from "drizzle-orm";
import { invitations, page, people, signInLinks } from "../../db/schema.ts";
import type { ActionContext } from "../actions/context.ts";
import type { EmailMessage } from "../notifications/channel.ts";
import { type PersonLinkPurpose, personLinkToken } from "./link-tokens.ts";

export type PersonMailContext = Pick<ActionContext, "db" | "clock" | "settings"> & {
  /** The origin serving the console (links open `/admin/...` there). */
  publicUrl: string;
  mailFrom: string;
};

/**
 * The mail carrying one person's link, or null when the link is no longer worth sending (accepted,
 * revoked, used, expired, or its person removed). The link is derived again from the row id.
 */
export async function personMail(
  ctx: PersonMailContext,
  purpose: PersonLinkPurpose,
  id: string,
): Promise<EmailMessage | null> {
  const now = ctx.clock.now().toISOString();
  const [pageRow] = await ctx.db.select({ name: page.name }).from(page).limit(1);
  const pageName = pageRow?.name ?? "Herald";
  const origin = ctx.publicUrl.replace(/\/+$/, "");
  const token = await personLinkToken(ctx, purpose, id);
  const messageId = `<${purpose}.${id}@herald>`;
  if (purpose === "invitation") {
    const [invitation] = await ctx.db
      .select()
      .from(invitations)
      .where(
        and(
          eq(invitations.id, id),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
          gt(invitations.expiresAt, now),
        ),
      );
    if (!invitation) return null;
    const link = `${origin}/admin/invitation?token=${encodeURIComponent(token)}`;
    return {
      from: ctx.mailFrom,
      to: invitation.email,
      subject: `You are invited to the ${pageName} team`,
      text: `You are invited to join the team of ${pageName} on Herald as ${invitation.role}.\n\nAccept the invitation (the link works once, until ${invitation.expiresAt}):\n${link}\n\nIf you did not expect this, ignore this mail.\n`,
      messageId,
    };
  }
  const [row] = await ctx.db
    .select({ email: people.email, name: people.name, expiresAt: signInLinks.expiresAt })
    .from(signInLinks)
    .innerJoin(people, eq(people.id, signInLinks.personId))
    .where(
      and(eq(signInLinks.id, id), isNull(signInLinks.usedAt), gt(signInLinks.expiresAt, now), isNull(people.removedAt)),
    );
  if (!row) return null;
  const link = `${origin}/admin/sign-in/link?token=${encodeURIComponent(token)}`;
  return {
    from: ctx.mailFrom,
    to: row.email,
    subject: `Sign in to ${pageName}`,
    text: `Hello ${row.name},\n\nSign in to the console of ${pageName} (the link works once, for 15 minutes):\n${link}\n\nIf you did not ask for it, ignore this mail: nobody can sign in without it.\n`,
    messageId,
  };
}
