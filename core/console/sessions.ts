import { and, eq, gt, isNull, lte } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { apiTokens, consoleSessions } from "../../db/schema.ts";
import type { Clock } from "../actions/clock.ts";
import type { Actor } from "../actions/context.ts";
import { hashToken, newTokenSecret } from "../tokens/token-hash.ts";

/** A console session ends this long after sign-in, however active it was. */
export const CONSOLE_SESSION_MS = 12 * 60 * 60 * 1000;

export type ConsoleSession = { actor: Actor; csrfToken: string; expiresAt: string };

/** Starts a session for a token that just authenticated; the returned secret goes into the cookie only. */
export async function startConsoleSession(
  db: Db,
  clock: Clock,
  actor: Actor,
): Promise<ConsoleSession & { secret: string }> {
  const now = clock.now();
  const secret = newTokenSecret();
  const csrfToken = newTokenSecret().slice(5);
  const expiresAt = new Date(now.getTime() + CONSOLE_SESSION_MS).toISOString();
  await db.batch([
    db.delete(consoleSessions).where(lte(consoleSessions.expiresAt, now.toISOString())),
    db.insert(consoleSessions).values({
      idHash: await hashToken(secret),
      tokenId: actor.id,
      csrfToken,
      createdAt: now.toISOString(),
      expiresAt,
    }),
  ]);
  return { secret, actor, csrfToken, expiresAt };
}

/**
 * The live session a cookie secret belongs to, read on every console request: null once it expired,
 * was signed out, or its token was revoked (so revoking a token ends its sessions at once).
 */
export async function findConsoleSession(db: Db, clock: Clock, secret: string): Promise<ConsoleSession | null> {
  const [row] = await db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      role: apiTokens.role,
      csrfToken: consoleSessions.csrfToken,
      expiresAt: consoleSessions.expiresAt,
    })
    .from(consoleSessions)
    .innerJoin(apiTokens, eq(apiTokens.id, consoleSessions.tokenId))
    .where(
      and(
        eq(consoleSessions.idHash, await hashToken(secret)),
        gt(consoleSessions.expiresAt, clock.now().toISOString()),
        isNull(apiTokens.revokedAt),
      ),
    );
  if (!row) return null;
  return { actor: { id: row.id, name: row.name, role: row.role }, csrfToken: row.csrfToken, expiresAt: row.expiresAt };
}

/** Signs a session out: its cookie is worthless from now on, even if a copy of it survives. */
export async function endConsoleSession(db: Db, secret: string): Promise<void> {
  await db.delete(consoleSessions).where(eq(consoleSessions.idHash, await hashToken(secret)));
}
