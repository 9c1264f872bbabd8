import { and, eq, isNull, ne } from "drizzle-orm";
import { apiTokens } from "../../db/schema.ts";
import { requireRole } from "../actions/authorize.ts";
import type { ActionContext } from "../actions/context.ts";
import { HeraldError, notFound } from "../actions/errors.ts";
import { commitChange } from "../changes/commit.ts";
import type { TokenSummary } from "./list-tokens.ts";

/**
 * Revokes a token at once: authentication reads `revoked_at` on every request, so the token's next
 * request is a 401. Revoking a revoked token changes nothing. The last working admin token cannot be
 * revoked (nobody could create another through the API); create a new one first.
 */
export async function revokeToken(ctx: ActionContext, id: string): Promise<TokenSummary> {
  requireRole(ctx, "admin", "revoke API tokens");
  const [token] = await ctx.db.select().from(apiTokens).where(eq(apiTokens.id, id));
  if (!token) throw notFound(`There is no API token with id "${id}" (see GET /api/tokens or \`herald token list\`).`);
  const summary = (revokedAt: string | null): TokenSummary => ({
    id: token.id,
    name: token.name,
    role: token.role,
    created_at: token.createdAt,
    last_used_at: token.lastUsedAt,
    revoked_at: revokedAt,
    from_environment: token.fromEnvironment,
  });
  if (token.revokedAt) return summary(token.revokedAt);
  if (token.role === "admin") {
    const [otherAdmin] = await ctx.db
      .select({ id: apiTokens.id })
      .from(apiTokens)
      .where(and(eq(apiTokens.role, "admin"), isNull(apiTokens.revokedAt), ne(apiTokens.id, id)))
      .limit(1);
    if (!otherAdmin) {
      throw new HeraldError(
        "conflict",
        `"${token.name}" is the last working admin token; create another admin token before revoking it.`,
      );
    }
  }
  const revokedAt = ctx.clock.now().toISOString();
  await commitChange(ctx, {
    statements: [
      ctx.db
        .update(apiTokens)
        .set({ revokedAt })
        .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt))),
    ],
    audit: {
      action: "token.revoke",
      targetType: "api_token",
      targetId: id,
      details: { name: token.name, role: token.role, from_environment: token.fromEnvironment },
    },
    jobs: [],
  });
  return summary(revokedAt);
}
