import { and, desc, eq, gt, isNull, lte, ne } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { apiTokens, consoleSessions, people } from "../../db/schema.ts";
import type { Clock } from "../actions/clock.ts";
import type { Actor } from "../actions/context.ts";
import { hashToken, newTokenSecret } from "../tokens/token-hash.ts";

/** A console session ends this long after sign-in, however active it was. */
export const CONSOLE_SESSION_MS = 12 * 60 * 60 * 1000;

/** Who signed in: a person (by link, invitation, passkey or SSO) or a pasted API token. */
export type SessionOwner = { kind: "person" | "token"; id: string };

export type ConsoleSession = { actor: Actor; owner: SessionOwner; csrfToken: string; expiresAt: string };

/**
 * Starts a session for a token or a person who just authenticated; the returned secret goes into the
 * cookie only. A person's session acts as the person (docs/team.md, "People and roles").
 */
export async function startConsoleSession(
  db: Db,
  clock: Clock,
  actor: Actor,
  owner: SessionOwner = { kind: "token", id: actor.id },
): Promise<ConsoleSession & { secret: string }> {
  const now = clock.now();
  const secret = newTokenSecret();
  const csrfToken = newTokenSecret().slice(5);
  const expiresAt = new Date(now.getTime() + CONSOLE_SESSION_MS).toISOString();
  await db.batch([
    db.delete(consoleSessions).where(lte(consoleSessions.expiresAt, now.toISOString())),
    db.insert(consoleSessions).values({
      idHash: await hashToken(secret),
      tokenId: owner.kind === "token" ? owner.id : null,
      personId: owner.kind === "person" ? owner.id : null,
      csrfToken,
      createdAt: now.toISOString(),
      expiresAt,
    }),
  ]);
  return { secret, actor, owner, csrfToken, expiresAt };
}

/**
 * The live session a cookie secret belongs to, read on every console request: null once it expired,
 * was signed out, its token was revoked or its person removed (so either ends its sessions at once).
 */
export async function findConsoleSession(db: Db, clock: Clock, secret: string): Promise<ConsoleSession | null> {
  const [row] = await db
    .select({
      tokenId: apiTokens.id,
      tokenName: apiTokens.name,
      tokenRole: apiTokens.role,
      tokenRevokedAt: apiTokens.revokedAt,
      personId: people.id,
      personName: people.name,
      personRole: people.role,
      personRemovedAt: people.removedAt,
      csrfToken: consoleSessions.csrfToken,
      expiresAt: consoleSessions.expiresAt,
    })
    .from(consoleSessions)
    .leftJoin(apiTokens, eq(apiTokens.id, consoleSessions.tokenId))
    .leftJoin(people, eq(people.id, consoleSessions.personId))
    .where(
      and(
        eq(consoleSessions.idHash, await hashToken(secret)),
        gt(consoleSessions.expiresAt, clock.now().toISOString()),
      ),
    );
  if (!row) return null;
  const session = { csrfToken: row.csrfToken, expiresAt: row.expiresAt };
  if (row.personId && row.personName && row.personRole && !row.personRemovedAt) {
    const actor = { id: row.personId, name: row.personName, role: row.personRole, kind: "person" as const };
    return { ...session, actor, owner: { kind: "person", id: row.personId } };
  }
  if (row.tokenId && row.tokenName && row.tokenRole && !row.tokenRevokedAt) {
    const actor = { id: row.tokenId, name: row.tokenName, role: row.tokenRole };
    return { ...session, actor, owner: { kind: "token", id: row.tokenId } };
  }
  return null;
}

/** Signs a session out: its cookie is worthless from now on, even if a copy of it survives. */
export async function endConsoleSession(db: Db, secret: string): Promise<void> {
  await db.delete(consoleSessions).where(eq(consoleSessions.idHash, await hashToken(secret)));
}

/** A person's live session as they and admins see it: its id is a prefix of the cookie's hash, never the cookie. */
export type PersonSession = { id: string; created_at: string; expires_at: string; current: boolean };

const SESSION_ID_LENGTH = 16;

/** A person's live sessions, newest first; `currentSecret` marks the one asking. */
export async function listPersonSessions(
  db: Db,
  clock: Clock,
  personId: string,
  currentSecret?: string | undefined,
): Promise<PersonSession[]> {
  const current = currentSecret ? await hashToken(currentSecret) : null;
  const rows = await db
    .select({
      idHash: consoleSessions.idHash,
      createdAt: consoleSessions.createdAt,
      expiresAt: consoleSessions.expiresAt,
    })
    .from(consoleSessions)
    .where(and(eq(consoleSessions.personId, personId), gt(consoleSessions.expiresAt, clock.now().toISOString())))
    .orderBy(desc(consoleSessions.createdAt));
  return rows.map((row) => ({
    id: row.idHash.slice(0, SESSION_ID_LENGTH),
    created_at: row.createdAt,
    expires_at: row.expiresAt,
    current: row.idHash === current,
  }));
}

/** Ends one of a person's sessions by its listed id; false when there is no such live session. */
export async function endPersonSession(db: Db, clock: Clock, personId: string, sessionId: string): Promise<boolean> {
  const sessions = await listPersonSessions(db, clock, personId);
  const match = sessions.find((s) => s.id === sessionId);
  if (!match || sessionId.length !== SESSION_ID_LENGTH) return false;
  const rows = await db
    .select({ idHash: consoleSessions.idHash })
    .from(consoleSessions)
    .where(eq(consoleSessions.personId, personId));
  const target = rows.find((row) => row.idHash.startsWith(sessionId));
  if (!target) return false;
  await db.delete(consoleSessions).where(eq(consoleSessions.idHash, target.idHash));
  return true;
}

/** Signs a person out everywhere, except (when given) the session asking. Returns how many ended. */
export async function endPersonSessions(db: Db, personId: string, exceptSecret?: string | undefined): Promise<number> {
  const keep = exceptSecret ? await hashToken(exceptSecret) : null;
  const ended = await db
    .delete(consoleSessions)
    .where(and(eq(consoleSessions.personId, personId), keep ? ne(consoleSessions.idHash, keep) : undefined))
    .returning({ idHash: consoleSessions.idHash });
  return ended.length;
}

/** Turns a token's session into a person's (the first account): the same cookie now acts as the person. */
export async function handSessionToPerson(db: Db, secret: string, personId: string): Promise<void> {
  await db
    .update(consoleSessions)
    .set({ personId, tokenId: null })
    .where(and(eq(consoleSessions.idHash, await hashToken(secret)), isNull(consoleSessions.personId)));
}
