import { and, eq, isNull, ne } from "drizzle-orm";
import { z } from "zod";
import { apiTokens } from "../../db/schema.ts";
import { defineAction, type Outcome } from "../actions/define.ts";
import { HeraldError, notFound } from "../actions/errors.ts";
import { ownerOf, type TokenSummary, tokenOwners, tokenSummary } from "./list-tokens.ts";

export type RevokeTokenResult =
  | { outcome: "revoked"; token: TokenSummary }
  /** It was revoked before: nothing changed. */
  | { outcome: "already_revoked"; token: TokenSummary };

/**
 * Revokes a token at once: authentication reads `revoked_at` on every request, so the token's next
 * request is a 401. Revoking a revoked token changes nothing. The last working admin token cannot be
 * revoked (nobody could create another through the API); create a new one first.
 */
export const revokeToken = defineAction({
  name: "token.revoke",
  role: "admin",
  doing: "revoke API tokens",
  input: z.object({ id: z.string().describe("the token's id") }),
  async load(ctx, { id }) {
    const [[token], [otherAdmin]] = await Promise.all([
      ctx.db.select().from(apiTokens).where(eq(apiTokens.id, id)),
      ctx.db
        .select({ id: apiTokens.id })
        .from(apiTokens)
        .where(and(eq(apiTokens.role, "admin"), isNull(apiTokens.revokedAt), ne(apiTokens.id, id)))
        .limit(1),
    ]);
    const owners = await tokenOwners(ctx.db, [token?.ownerPersonId ?? null]);
    return {
      db: ctx.db,
      token,
      owner: ownerOf(owners, token?.ownerPersonId ?? null),
      anotherAdmin: otherAdmin !== undefined,
    };
  },
  plan({ db, token, owner, anotherAdmin }, { id }, { now }): Outcome<RevokeTokenResult> {
    if (!token) throw notFound(`There is no API token with id "${id}" (see GET /api/tokens or \`herald token list\`).`);
    if (token.revokedAt)
      return { changes: [], result: { outcome: "already_revoked", token: tokenSummary(token, owner) } };
    if (token.role === "admin" && !anotherAdmin) {
      throw new HeraldError(
        "conflict",
        `"${token.name}" is the last working admin token; create another admin token before revoking it.`,
      );
    }
    const revokedAt = now.toISOString();
    const change = {
      statements: [
        db
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
    };
    return { changes: [change], result: { outcome: "revoked", token: tokenSummary({ ...token, revokedAt }, owner) } };
  },
});
