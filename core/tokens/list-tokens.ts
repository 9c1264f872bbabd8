import { asc } from "drizzle-orm";
import { apiTokens } from "../../db/schema.ts";
import { requireRole } from "../actions/authorize.ts";
import type { ActionContext, Role } from "../actions/context.ts";

/** What anyone may know about a token: never its secret, nor the secret's hash. */
export type TokenSummary = {
  id: string;
  name: string;
  role: Role;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  /** The token HERALD_ADMIN_TOKEN ensured; a changed value revokes it. */
  from_environment: boolean;
};

/** Every API token, revoked ones included, oldest first. */
export async function listTokens(ctx: ActionContext): Promise<TokenSummary[]> {
  requireRole(ctx, "admin", "list API tokens");
  const rows = await ctx.db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      role: apiTokens.role,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
      revokedAt: apiTokens.revokedAt,
      fromEnvironment: apiTokens.fromEnvironment,
    })
    .from(apiTokens)
    .orderBy(asc(apiTokens.createdAt), asc(apiTokens.id));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    role: r.role,
    created_at: r.createdAt,
    last_used_at: r.lastUsedAt,
    revoked_at: r.revokedAt,
    from_environment: r.fromEnvironment,
  }));
}
