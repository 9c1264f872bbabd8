import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { apiTokens } from "../../db/schema.ts";
import type { Actor } from "../context.ts";
import { hashToken } from "./token-hash.ts";

/** The actor a bearer secret belongs to, or null for an unknown or revoked token. */
export async function authenticate(db: Db, secret: string): Promise<Actor | null> {
  const [row] = await db
    .select({ id: apiTokens.id, name: apiTokens.name, role: apiTokens.role })
    .from(apiTokens)
    .where(and(eq(apiTokens.tokenHash, await hashToken(secret)), isNull(apiTokens.revokedAt)));
  return row ?? null;
}
