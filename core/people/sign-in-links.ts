import { and, eq, isNull, lte } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { people, signInLinks } from "../../db/schema.ts";
import type { ActionContext, Actor } from "../actions/context.ts";
import { commitChange } from "../changes/commit.ts";
import { failUnlessChanged, isStalePlan } from "../changes/guard.ts";
import { jobInsert } from "../changes/outbox.ts";
import { newId } from "../model/ids.ts";
import { normalizeEmail } from "../subscribers/email-address.ts";
import { hashToken } from "../tokens/token-hash.ts";
import { linkRowId, personLinkToken } from "./link-tokens.ts";
import { personMailRows } from "./person-mail-events.ts";
import { SIGN_IN_LINK_VALID_MS } from "./schemas.ts";

type LinkContext = Omit<ActionContext, "actor">;

/**
 * Mails a single-use sign-in link (15 minutes) to the person with this address, through the outbox.
 * The caller answers the same whether or not anyone has the address; rate limits are the caller's
 * (per address and per client address). Not audited: nobody changed anything yet.
 */
export async function requestSignInLink(ctx: LinkContext, rawEmail: string): Promise<void> {
  const email = normalizeEmail(rawEmail);
  if (!email) return;
  const [person] = await ctx.db
    .select({ id: people.id })
    .from(people)
    .where(and(eq(people.email, email), isNull(people.removedAt)));
  if (!person) return;
  const now = ctx.clock.now();
  const id = newId();
  const tokenHash = await hashToken(await personLinkToken(ctx, "sign-in", id));
  const mail = await personMailRows(ctx.db, { email, purpose: "sign-in", id, now });
  await ctx.db.batch([
    ctx.db.delete(signInLinks).where(lte(signInLinks.expiresAt, now.toISOString())),
    ctx.db.insert(signInLinks).values({
      id,
      personId: person.id,
      tokenHash,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + SIGN_IN_LINK_VALID_MS).toISOString(),
    }),
    ...mail.statements,
    ...mail.jobs.map((job) => jobInsert(ctx.db, job, now.toISOString())),
  ]);
  ctx.onCommit?.();
}

/**
 * Spends a sign-in link: the person it belongs to, if it is genuine, unused, unexpired and they are
 * still on the team; else null. Using it twice (or racing) signs in once.
 */
export async function useSignInLink(ctx: LinkContext, token: string): Promise<Actor | null> {
  const id = linkRowId(token);
  if (!id) return null;
  const nowIso = ctx.clock.now().toISOString();
  const [row] = await ctx.db
    .select({ link: signInLinks, person: people })
    .from(signInLinks)
    .innerJoin(people, eq(people.id, signInLinks.personId))
    .where(eq(signInLinks.id, id));
  if (!row || row.link.usedAt || row.link.expiresAt <= nowIso || row.person.removedAt) return null;
  if (row.link.tokenHash !== (await hashToken(token))) return null;
  const actor: Actor = { id: row.person.id, name: row.person.name, role: row.person.role, kind: "person" };
  try {
    await commitChange(
      { ...ctx, actor },
      {
        statements: [
          ctx.db
            .update(signInLinks)
            .set({ usedAt: nowIso })
            .where(and(eq(signInLinks.id, id), isNull(signInLinks.usedAt))),
          failUnlessChanged(ctx.db),
          markSignedIn(ctx.db, actor.id, nowIso),
        ],
        audit: { action: "person.sign_in", targetType: "person", targetId: actor.id, details: { by: "email link" } },
        jobs: [],
      },
    );
  } catch (error) {
    if (isStalePlan(error)) return null;
    throw error;
  }
  return actor;
}

export function markSignedIn(db: Db, personId: string, at: string) {
  return db.update(people).set({ lastSignInAt: at }).where(eq(people.id, personId));
}
