import { and, eq, gt, isNull, lte } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { apiTokens, consoleSessions, people } from "../../db/schema.ts";
import type { Clock } from "../actions/clock.ts";
import type { Actor } from "../actions/context.ts";
import { hashToken, newTokenSecret } from "../tokens/token-hash.ts";
import { keptUserAgent } from "./user-agent.ts";

/** A console session ends this long after sign-in, however active it was. */
export const CONSOLE_SESSION_MS = 12 * 60 * 60 * 1000;

/** Who signed in: a person (by link, invitation, passkey or SSO) or a pasted API token. */
export type SessionOwner = { kind: "person" | "token"; id: string };

export type ConsoleSession = {
  /** The id a person and admins see it by (core/people/person-sessions.ts): a prefix of the cookie's hash. */
  id: string;
  actor: Actor;
  owner: SessionOwner;
  csrfToken: string;
  expiresAt: string;
  lastSeenAt: string | null;
};

/** How many hex characters of a session's hash make its listed id (64 bits: unique, and useless as a cookie). */
export const SESSION_ID_LENGTH = 16;

export function sessionIdOf(idHash: string): string {
  return idHash.slice(0, SESSION_ID_LENGTH);
}

/** A session's last request is written down at most this often, so a busy console does not write on every click. */
export const LAST_SEEN_EVERY_MS = 5 * 60 * 1000;

/**
 * Starts a session for a token or a person who just authenticated; the returned secret goes into the
 * cookie only. A person's session acts as the person (docs/team.md, "People and roles").
 */
export async function startConsoleSession(
  db: Db,
  clock: Clock,
  actor: Actor,
  owner: SessionOwner = { kind: "token", id: actor.id },
  /** The browser's User-Agent header as sent; kept cleaned and cut short (core/console/user-agent.ts). */
  userAgent?: string | null | undefined,
): Promise<ConsoleSession & { secret: string }> {
  const now = clock.now();
  const secret = newTokenSecret();
  const idHash = await hashToken(secret);
  const csrfToken = newTokenSecret().slice(5);
  const expiresAt = new Date(now.getTime() + CONSOLE_SESSION_MS).toISOString();
  await db.batch([
    db.delete(consoleSessions).where(lte(consoleSessions.expiresAt, now.toISOString())),
    db.insert(consoleSessions).values({
      idHash,
      tokenId: owner.kind === "token" ? owner.id : null,
      personId: owner.kind === "person" ? owner.id : null,
      csrfToken,
      createdAt: now.toISOString(),
      expiresAt,
      lastSeenAt: now.toISOString(),
      userAgent: keptUserAgent(userAgent),
    }),
  ]);
  return { id: sessionIdOf(idHash), secret, actor, owner, csrfToken, expiresAt, lastSeenAt: now.toISOString() };
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
      idHash: consoleSessions.idHash,
      csrfToken: consoleSessions.csrfToken,
      expiresAt: consoleSessions.expiresAt,
      lastSeenAt: consoleSessions.lastSeenAt,
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
  const session = {
    id: sessionIdOf(row.idHash),
    csrfToken: row.csrfToken,
    expiresAt: row.expiresAt,
    lastSeenAt: row.lastSeenAt,
  };
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

/**
 * Notes that a session made a request, when its last note is older than LAST_SEEN_EVERY_MS (guarded on the
 * note read, so two requests at once write it once).
 */
export async function noteSessionSeen(db: Db, clock: Clock, secret: string, session: ConsoleSession): Promise<void> {
  const now = clock.now();
  const last = session.lastSeenAt ? Date.parse(session.lastSeenAt) : Number.NEGATIVE_INFINITY;
  if (now.getTime() - last < LAST_SEEN_EVERY_MS) return;
  await db
    .update(consoleSessions)
    .set({ lastSeenAt: now.toISOString() })
    .where(
      and(
        eq(consoleSessions.idHash, await hashToken(secret)),
        session.lastSeenAt ? eq(consoleSessions.lastSeenAt, session.lastSeenAt) : isNull(consoleSessions.lastSeenAt),
      ),
    );
}

/** Signs a session out: its cookie is worthless from now on, even if a copy of it survives. */
export async function endConsoleSession(db: Db, secret: string): Promise<void> {
  await db.delete(consoleSessions).where(eq(consoleSessions.idHash, await hashToken(secret)));
}

/** Turns a token's session into a person's (the first account): the same cookie now acts as the person. */
export async function handSessionToPerson(db: Db, secret: string, personId: string): Promise<void> {
  await db
    .update(consoleSessions)
    .set({ personId, tokenId: null })
    .where(and(eq(consoleSessions.idHash, await hashToken(secret)), isNull(consoleSessions.personId)));
}
