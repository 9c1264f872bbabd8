import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { apiTokens } from "../../db/schema.ts";
import type { Actor } from "../actions/context.ts";
import { hashToken } from "./token-hash.ts";

export type AuthenticatedToken = { actor: Actor; lastUsedAt: string | null };

/** The token a bearer secret belongs to, or null for an unknown or revoked token (read on every request). */
export async function authenticate(db: Db, secret: string): Promise<AuthenticatedToken | null> {
  const [row] = await db
    .select({ id: apiTokens.id, name: apiTokens.name, role: apiTokens.role, lastUsedAt: apiTokens.lastUsedAt })
    .from(apiTokens)
    .where(and(eq(apiTokens.tokenHash, await hashToken(secret)), isNull(apiTokens.revokedAt)));
  if (!row) return null;
  return { actor: { id: row.id, name: row.name, role: row.role }, lastUsedAt: row.lastUsedAt };
}
