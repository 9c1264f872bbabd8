import { z } from "zod";
import { TOKEN_ROLES, type TokenRole } from "../../db/enums.ts";
import { apiTokens } from "../../db/schema.ts";
import { requireRole } from "../actions/authorize.ts";
import type { ActionContext } from "../actions/context.ts";
import { parseInput } from "../actions/validation.ts";
import { commitChange, type Statement } from "../changes/commit.ts";
import { newId } from "../model/ids.ts";
import { safeText } from "../text/safe-text.ts";
import { hashToken, newTokenSecret } from "./token-hash.ts";

export const createTokenInput = z
  .object({
    name: safeText({ max: 100, required: "a name is required" }),
    role: z.enum(TOKEN_ROLES),
  })
  .strict();

export type CreateTokenInput = z.output<typeof createTokenInput>;

export type CreatedToken = { id: string; name: string; role: TokenRole; token: string };

/** Creates an API token; its secret is returned once and only its hash is kept. */
export async function createToken(
  ctx: ActionContext,
  rawInput: unknown,
  secret = newTokenSecret(),
): Promise<CreatedToken> {
  requireRole(ctx, "admin", "create API tokens");
  const input = parseInput(createTokenInput, rawInput);
  const { id, statement } = await tokenInsert(ctx, input, secret, false);
  await commitChange(ctx, {
    statements: [statement],
    audit: { action: "token.create", targetType: "api_token", targetId: id, details: input },
    jobs: [],
  });
  return { id, name: input.name, role: input.role, token: secret };
}

/** The insert of a new token row (only the secret's hash is stored). */
export async function tokenInsert(
  ctx: ActionContext,
  input: CreateTokenInput,
  secret: string,
  fromEnvironment: boolean,
): Promise<{ id: string; statement: Statement }> {
  const id = newId();
  const statement = ctx.db
    .insert(apiTokens)
    .values({
      id,
      name: input.name,
      role: input.role,
      tokenHash: await hashToken(secret),
      createdAt: ctx.clock.now().toISOString(),
      fromEnvironment,
    })
    .onConflictDoNothing({ target: apiTokens.tokenHash });
  return { id, statement };
}
