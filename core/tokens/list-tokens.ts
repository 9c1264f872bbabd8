import { asc } from "drizzle-orm";
import { z } from "zod";
import { TOKEN_ROLES } from "../../db/enums.ts";
import { apiTokens } from "../../db/schema.ts";
import { defineQuery } from "../actions/define.ts";

/** What anyone may know about a token: never its secret, nor the secret's hash. */
export const tokenSummarySchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  role: z.enum(TOKEN_ROLES),
  created_at: z.string(),
  last_used_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
  /** The token HERALD_ADMIN_TOKEN ensured; a changed value revokes it. */
  from_environment: z.boolean(),
});

export type TokenSummary = z.output<typeof tokenSummarySchema>;

type TokenRow = Pick<
  typeof apiTokens.$inferSelect,
  "id" | "name" | "role" | "createdAt" | "lastUsedAt" | "revokedAt" | "fromEnvironment"
>;

export function tokenSummary(row: TokenRow): TokenSummary {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    created_at: row.createdAt,
    last_used_at: row.lastUsedAt,
    revoked_at: row.revokedAt,
    from_environment: row.fromEnvironment,
  };
}

/** Every API token, revoked ones included, oldest first. */
export const listTokens = defineQuery({
  name: "token.list",
  role: "admin",
  doing: "list API tokens",
  input: z.object({}),
  async read(ctx): Promise<TokenSummary[]> {
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
    return rows.map(tokenSummary);
  },
});
