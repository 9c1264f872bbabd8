import { and, eq, isNull, lte, or } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { apiTokens } from "../../db/schema.ts";
import type { Clock } from "../actions/clock.ts";

/** `last_used_at` is kept to the minute: a busy token costs one write a minute, not one per request. */
export const TOKEN_USE_RESOLUTION_MS = 60_000;

/** Whether a token last seen at `lastUsedAt` (as read when authenticating) is due a new `last_used_at`. */
export function tokenUseIsStale(lastUsedAt: string | null, now: Date): boolean {
  return lastUsedAt === null || Date.parse(lastUsedAt) <= now.getTime() - TOKEN_USE_RESOLUTION_MS;
}

/**
 * Records that a token was used now, unless it was within the last minute: one conditional UPDATE, so
 * processes authenticating the same token at once write it at most once. Not audited (nobody changed
 * anything).
 */
export async function recordTokenUse(ctx: { db: Db; clock: Clock }, tokenId: string): Promise<void> {
  const now = ctx.clock.now();
  const staleBefore = new Date(now.getTime() - TOKEN_USE_RESOLUTION_MS).toISOString();
  await ctx.db
    .update(apiTokens)
    .set({ lastUsedAt: now.toISOString() })
    .where(and(eq(apiTokens.id, tokenId), or(isNull(apiTokens.lastUsedAt), lte(apiTokens.lastUsedAt, staleBefore))));
}
