import { and, eq, isNull, ne } from "drizzle-orm";
import { apiTokens } from "../../db/schema.ts";
import type { ActionContext } from "../actions/context.ts";
import { run } from "../actions/run.ts";
import { commitChange, type Statement } from "../changes/commit.ts";
import { type CreatedToken, createToken, tokenInsert } from "./create-token.ts";
import { hashToken } from "./token-hash.ts";

export type EnsuredAdminToken = {
  /**
   * A token Herald generated because there was no token at all and no HERALD_ADMIN_TOKEN: its secret
   * must be shown once. Never set for HERALD_ADMIN_TOKEN, whose secret the operator already has.
   */
  generated: CreatedToken | null;
  /** Ids of the tokens a previous HERALD_ADMIN_TOKEN ensured, revoked now because the value changed. */
  revoked: string[];
  /** HERALD_ADMIN_TOKEN names a token someone revoked: it stays revoked, so it does not work. */
  environmentTokenRevoked: boolean;
};

/**
 * Makes sure an admin token exists. With `secret` (HERALD_ADMIN_TOKEN), that secret is an admin token
 * marked `from_environment`, and a token an earlier, different value ensured is revoked in the same
 * batch. Without it, a new admin token is generated only when there is no token at all. An unset
 * HERALD_ADMIN_TOKEN leaves the token it once ensured alone (revoke it by id).
 */
export async function ensureAdminToken(ctx: ActionContext, secret: string | undefined): Promise<EnsuredAdminToken> {
  if (!secret) {
    const [any] = await ctx.db.select({ id: apiTokens.id }).from(apiTokens).limit(1);
    const generated = any ? null : await run(ctx, createToken, { name: "first admin", role: "admin" });
    return { generated, revoked: [], environmentTokenRevoked: false };
  }
  const [known] = await ctx.db
    .select({ id: apiTokens.id, revokedAt: apiTokens.revokedAt, fromEnvironment: apiTokens.fromEnvironment })
    .from(apiTokens)
    .where(eq(apiTokens.tokenHash, await hashToken(secret)));
  if (known?.revokedAt) return { generated: null, revoked: [], environmentTokenRevoked: true };

  const previous = await ctx.db
    .select({ id: apiTokens.id })
    .from(apiTokens)
    .where(and(eq(apiTokens.fromEnvironment, true), isNull(apiTokens.revokedAt), ne(apiTokens.id, known?.id ?? "")));
  if (known?.fromEnvironment && previous.length === 0) {
    return { generated: null, revoked: [], environmentTokenRevoked: false };
  }

  const now = ctx.clock.now().toISOString();
  const revoked = previous.map((p) => p.id);
  const statements: Statement[] = revoked.map((id) =>
    ctx.db
      .update(apiTokens)
      .set({ revokedAt: now })
      .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt))),
  );
  let id: string;
  if (known) {
    // A token made before `from_environment` existed (or by `token create`) becomes the environment's.
    id = known.id;
    statements.push(ctx.db.update(apiTokens).set({ fromEnvironment: true }).where(eq(apiTokens.id, id)));
  } else {
    const inserted = await tokenInsert(ctx, { name: "HERALD_ADMIN_TOKEN", role: "admin" }, secret, true);
    id = inserted.id;
    statements.push(inserted.statement);
  }
  await commitChange(ctx, {
    statements,
    audit: {
      action: revoked.length > 0 ? "token.rotate_environment" : "token.ensure_environment",
      targetType: "api_token",
      targetId: id,
      details: { name: "HERALD_ADMIN_TOKEN", role: "admin", revoked },
    },
    jobs: [],
  });
  return { generated: null, revoked, environmentTokenRevoked: false };
}
