import { z } from "zod";
import { apiTokens } from "../../db/schema.ts";
import { requireRole } from "../authorize.ts";
import { commitChange } from "../commit.ts";
import type { ActionContext } from "../context.ts";
import { newId } from "../ids.ts";
import { safeText } from "../text.ts";
import { parseInput } from "../validation.ts";
import { hashToken, newTokenSecret } from "./token-hash.ts";

export const createTokenInput = z
  .object({
    name: safeText({ max: 100, required: "a name is required" }),
    role: z.enum(["admin", "commander", "viewer"]),
  })
  .strict();

export type CreatedToken = { id: string; name: string; role: "admin" | "commander" | "viewer"; token: string };

/** Creates an API token; its secret is returned once and only its hash is kept. */
export async function createToken(
  ctx: ActionContext,
  rawInput: unknown,
  secret = newTokenSecret(),
): Promise<CreatedToken> {
  requireRole(ctx, "admin", "create API tokens");
  const input = parseInput(createTokenInput, rawInput);
  const id = newId();
  await commitChange(ctx, {
    statements: [
      ctx.db.insert(apiTokens).values({
        id,
        name: input.name,
        role: input.role,
        tokenHash: await hashToken(secret),
        createdAt: ctx.clock.now().toISOString(),
      }),
    ],
    audit: { action: "token.create", targetType: "api_token", targetId: id, details: input },
    jobs: [],
  });
  return { id, name: input.name, role: input.role, token: secret };
}
