import { z } from "zod";
import type { Db } from "../../db/client.ts";
import { PERSON_TOKEN_ROLES } from "../../db/enums.ts";
import { apiTokens } from "../../db/schema.ts";
import type { ActionContext } from "../actions/context.ts";
import { defineAction, type Outcome } from "../actions/define.ts";
import type { Statement } from "../changes/commit.ts";
import { newId } from "../model/ids.ts";
import { safeText } from "../text/safe-text.ts";
import { hashToken, newTokenSecret } from "./token-hash.ts";

const roleSchema = z.enum(PERSON_TOKEN_ROLES);

export const createTokenInput = z
  .object({
    name: safeText({ max: 100, required: "a name is required" }),
    role: roleSchema,
  })
  .strict();

export type CreateTokenInput = z.output<typeof createTokenInput>;

/** A new token as its creator sees it, the only time its secret is shown. */
export const createdTokenSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  role: roleSchema,
  token: z.string(),
});

export type CreatedToken = z.output<typeof createdTokenSchema>;

/** Creates an API token; its secret is returned once and only its hash is kept. */
export const createToken = defineAction({
  name: "token.create",
  role: "admin",
  doing: "create API tokens",
  input: createTokenInput,
  // The secret is made here because hashing it is asynchronous; `db` only builds the planned insert.
  async load(ctx) {
    const secret = newTokenSecret();
    return { db: ctx.db, secret, tokenHash: await hashToken(secret) };
  },
  plan({ db, secret, tokenHash }, input, { now, actor }): Outcome<CreatedToken> {
    // A person signed in as themselves owns what they create; a token's token is a named integration.
    const owner = actor.kind === "person" ? actor.id : null;
    const { id, statement } = tokenRowInsert(db, input, tokenHash, now, false, owner);
    return {
      changes: [
        {
          statements: [statement],
          audit: {
            action: "token.create",
            targetType: "api_token",
            targetId: id,
            details: { ...input, owner_person_id: owner },
          },
          jobs: [],
        },
      ],
      result: { id, name: input.name, role: input.role, token: secret },
    };
  },
});

/** The insert of a new token row (only the secret's hash is stored). */
function tokenRowInsert(
  db: Db,
  input: CreateTokenInput,
  tokenHash: string,
  now: Date,
  fromEnvironment: boolean,
  ownerPersonId: string | null = null,
): { id: string; statement: Statement } {
  const id = newId();
  const statement = db
    .insert(apiTokens)
    .values({
      id,
      name: input.name,
      role: input.role,
      tokenHash,
      createdAt: now.toISOString(),
      fromEnvironment,
      ownerPersonId,
    })
    .onConflictDoNothing({ target: apiTokens.tokenHash });
  return { id, statement };
}

/** The insert of a token row for a secret given from outside (HERALD_ADMIN_TOKEN). */
export async function tokenInsert(
  ctx: ActionContext,
  input: CreateTokenInput,
  secret: string,
  fromEnvironment: boolean,
): Promise<{ id: string; statement: Statement }> {
  return tokenRowInsert(ctx.db, input, await hashToken(secret), ctx.clock.now(), fromEnvironment);
}
