import { asc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client.ts";
import { TOKEN_ROLES } from "../../db/enums.ts";
import { apiTokens, people } from "../../db/schema.ts";
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
  owner_person_id: z
    .string()
    .nullable()
    .describe("the person who owns it (who created it signed in as themselves); null: a named integration"),
  owner: z
    .strictObject({
      name: z.string(),
      removed: z.boolean().describe("the owner was removed from the team: the token still works; re-own it"),
    })
    .nullable()
    .describe("the owner's name, and whether they were removed; null: no owner"),
});

/** A token's owner as the listing shows it. */
export type TokenOwner = { name: string; removed: boolean } | null;

export type TokenSummary = z.output<typeof tokenSummarySchema>;

type TokenRow = Pick<
  typeof apiTokens.$inferSelect,
  "id" | "name" | "role" | "createdAt" | "lastUsedAt" | "revokedAt" | "fromEnvironment" | "ownerPersonId"
>;

export function tokenSummary(row: TokenRow, owner: TokenOwner): TokenSummary {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    created_at: row.createdAt,
    last_used_at: row.lastUsedAt,
    revoked_at: row.revokedAt,
    from_environment: row.fromEnvironment,
    owner_person_id: row.ownerPersonId,
    owner: row.ownerPersonId ? owner : null,
  };
}

/** The owners of tokens, by person id: name, and whether they were removed (their tokens stay). */
export async function tokenOwners(db: Db, personIds: (string | null)[]): Promise<Map<string, TokenOwner>> {
  const ids = [...new Set(personIds.filter((id): id is string => id !== null))];
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: people.id, name: people.name, removedAt: people.removedAt })
    .from(people)
    .where(inArray(people.id, ids));
  return new Map(rows.map((row) => [row.id, { name: row.name, removed: row.removedAt !== null }]));
}

/** One token's summary, read with its owner. */
export async function readTokenSummary(db: Db, id: string): Promise<TokenSummary | null> {
  const [row] = await db.select().from(apiTokens).where(eq(apiTokens.id, id));
  if (!row) return null;
  const owners = await tokenOwners(db, [row.ownerPersonId]);
  return tokenSummary(row, ownerOf(owners, row.ownerPersonId));
}

/** An owner id's entry; a person row that is gone altogether reads as removed. */
export function ownerOf(owners: Map<string, TokenOwner>, id: string | null): TokenOwner {
  if (!id) return null;
  return owners.get(id) ?? { name: "(unknown person)", removed: true };
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
        ownerPersonId: apiTokens.ownerPersonId,
      })
      .from(apiTokens)
      .orderBy(asc(apiTokens.createdAt), asc(apiTokens.id));
    const owners = await tokenOwners(
      ctx.db,
      rows.map((row) => row.ownerPersonId),
    );
    return rows.map((row) => tokenSummary(row, ownerOf(owners, row.ownerPersonId)));
  },
});
