import { isoBase64URL } from "@simplewebauthn/server/helpers";
import { and, eq, gt, isNull, lte } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import type { WebauthnPurpose } from "../../../db/enums.ts";
import { webauthnChallenges } from "../../../db/schema.ts";
import type { Clock } from "../../actions/clock.ts";

/** How long a browser has between asking for options and answering with a signed challenge. */
export const CHALLENGE_MS = 5 * 60 * 1000;

export type IssuedChallenge = { id: string; challenge: string; expiresAt: string };

/** 32 random bytes, base64url: what the authenticator signs. */
function newChallenge(): string {
  return isoBase64URL.fromBuffer(crypto.getRandomValues(new Uint8Array(32)));
}

/** Stores a new challenge (and drops expired ones in the same batch, so the table stays small). */
export async function issueChallenge(
  db: Db,
  clock: Clock,
  purpose: WebauthnPurpose,
  personId: string | null,
): Promise<IssuedChallenge> {
  const now = clock.now();
  const issued = {
    id: crypto.randomUUID(),
    challenge: newChallenge(),
    expiresAt: new Date(now.getTime() + CHALLENGE_MS).toISOString(),
  };
  await db.batch([
    db.delete(webauthnChallenges).where(lte(webauthnChallenges.expiresAt, now.toISOString())),
    db.insert(webauthnChallenges).values({ ...issued, purpose, personId }),
  ]);
  return issued;
}

/**
 * Marks a challenge used and returns it, in one guarded statement: of two answers to the same challenge
 * (a replay, or two tabs), exactly one gets it. Null when it is unknown, used, expired, for another
 * purpose or, for a registration, issued to another person.
 */
export async function consumeChallenge(
  db: Db,
  clock: Clock,
  id: string,
  purpose: WebauthnPurpose,
  personId: string | null,
): Promise<{ challenge: string } | null> {
  const now = clock.now().toISOString();
  const [row] = await db
    .update(webauthnChallenges)
    .set({ usedAt: now })
    .where(
      and(
        eq(webauthnChallenges.id, id),
        eq(webauthnChallenges.purpose, purpose),
        isNull(webauthnChallenges.usedAt),
        gt(webauthnChallenges.expiresAt, now),
      ),
    )
    .returning({ challenge: webauthnChallenges.challenge, personId: webauthnChallenges.personId });
  if (!row || row.personId !== personId) return null;
  return { challenge: row.challenge };
}
