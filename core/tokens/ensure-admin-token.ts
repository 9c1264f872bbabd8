import { eq } from "drizzle-orm";
import { apiTokens } from "../../db/schema.ts";
import type { ActionContext } from "../context.ts";
import { type CreatedToken, createToken } from "./create-token.ts";
import { hashToken } from "./token-hash.ts";

/**
 * Makes sure an admin token exists: `secret` (from HERALD_ADMIN_TOKEN) is registered if unknown; with no
 * secret, a new admin token is created only when there is no token at all. Returns a token it created.
 */
export async function ensureAdminToken(ctx: ActionContext, secret: string | undefined): Promise<CreatedToken | null> {
  if (secret) {
    const [known] = await ctx.db
      .select({ id: apiTokens.id })
      .from(apiTokens)
      .where(eq(apiTokens.tokenHash, await hashToken(secret)));
    if (known) return null;
    return createToken(ctx, { name: "HERALD_ADMIN_TOKEN", role: "admin" }, secret);
  }
  const [any] = await ctx.db.select({ id: apiTokens.id }).from(apiTokens).limit(1);
  if (any) return null;
  return createToken(ctx, { name: "first admin", role: "admin" });
}
