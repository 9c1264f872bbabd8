import type { Db } from "../../../db/client.ts";
import { apiTokens } from "../../../db/schema.ts";
import type { Statement } from "../../changes/commit.ts";
import { newId } from "../../model/ids.ts";
import { hashToken, newTokenSecret } from "../../tokens/token-hash.ts";
import { sourceTokenName } from "./schemas.ts";

/** A new `automation` token for a source: its secret (shown once) and its hash (all that is stored). */
export type NewSourceToken = { id: string; secret: string; hash: string };

export async function newSourceToken(): Promise<NewSourceToken> {
  const secret = newTokenSecret();
  return { id: newId(), secret, hash: await hashToken(secret) };
}

export function sourceTokenInsert(
  db: Db,
  token: NewSourceToken,
  source: { id: string; name: string },
  now: string,
): Statement {
  return db.insert(apiTokens).values({
    id: token.id,
    name: sourceTokenName(source),
    role: "automation",
    tokenHash: token.hash,
    createdAt: now,
    fromEnvironment: false,
  });
}
