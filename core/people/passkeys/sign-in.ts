import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { generateAuthenticationOptions, verifyAuthenticationResponse } from "@simplewebauthn/server";
import { isoBase64URL } from "@simplewebauthn/server/helpers";
import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import type { PersonTokenRole } from "../../../db/enums.ts";
import { passkeys, people } from "../../../db/schema.ts";
import type { Clock } from "../../actions/clock.ts";
import { type RateLimitRule, rateLimiter } from "../../actions/rate-limit.ts";
import { consumeChallenge, issueChallenge } from "./challenges.ts";
import type { RelyingParty } from "./relying-party.ts";
import type { AuthenticationResponse } from "./schemas.ts";

/** Starting and finishing a passkey sign-in both count: 15 sign-ins an address per quarter hour is plenty for people. */
export const PASSKEY_SIGN_IN_IP_LIMIT: RateLimitRule = { name: "passkey-sign-in", limit: 30, windowMs: 15 * 60 * 1000 };

export type Limited = { ok: false; reason: "rate_limited"; retryAfterSeconds: number };

export type SignInStart = { ok: true; challengeId: string; options: PublicKeyCredentialRequestOptionsJSON } | Limited;

export type SignInDeps = { db: Db; clock: Clock; rp: RelyingParty; limit?: RateLimitRule };

/** Options for `navigator.credentials.get` with no allow-list: the authenticator offers its own passkeys, nobody types an email. */
export async function startPasskeySignIn(deps: SignInDeps, ip: string): Promise<SignInStart> {
  const limited = await hitLimit(deps, ip);
  if (limited) return limited;
  const issued = await issueChallenge(deps.db, deps.clock, "authenticate", null);
  const options = await generateAuthenticationOptions({
    rpID: deps.rp.id,
    // Bytes, not the string: a string would be taken as the raw challenge and encoded once more.
    challenge: isoBase64URL.toBuffer(issued.challenge),
    userVerification: "required",
  });
  return { ok: true, challengeId: issued.id, options };
}

/** Who signed in, as a console session acts: the caller starts the session. */
export type SignedInPerson = { id: string; name: string; role: PersonTokenRole };

export type SignInOutcome =
  | { ok: true; person: SignedInPerson; passkeyId: string }
  | { ok: false; reason: "refused" }
  | Limited;

/**
 * Checks a signed challenge: single use, unexpired, a known passkey of a live person, the right origin and
 * RP ID, user verified, a valid signature, a counter that moved forward (a cloned authenticator's does
 * not). Every refusal is the same `refused`, so an answer tells an attacker nothing about who exists.
 */
export async function finishPasskeySignIn(
  deps: SignInDeps,
  ip: string,
  answer: { challengeId: string; response: AuthenticationResponse },
): Promise<SignInOutcome> {
  const limited = await hitLimit(deps, ip);
  if (limited) return limited;
  const refused = { ok: false, reason: "refused" } as const;
  const { db, clock, rp } = deps;
  const challenge = await consumeChallenge(db, clock, answer.challengeId, "authenticate", null);
  if (!challenge) return refused;
  const [found] = await db
    .select({ key: passkeys, person: { id: people.id, name: people.name, role: people.role } })
    .from(passkeys)
    .innerJoin(people, eq(people.id, passkeys.personId))
    .where(and(eq(passkeys.id, answer.response.id), isNull(people.removedAt)));
  if (!found) return refused;
  const { key, person } = found;
  const handle = answer.response.response.userHandle;
  if (handle !== undefined && isoBase64URL.toUTF8String(handle) !== key.personId) return refused;
  const verified = await verifyAuthenticationResponse({
    response: answer.response,
    expectedChallenge: challenge.challenge,
    expectedOrigin: rp.origin,
    expectedRPID: rp.id,
    credential: {
      id: key.id,
      publicKey: isoBase64URL.toBuffer(key.publicKey),
      counter: key.counter,
      transports: key.transports,
    },
    requireUserVerification: true,
  }).catch(() => null);
  if (!verified?.verified) return refused;
  // Guarded on the counter read above: of two sign-ins racing with one signature, one wins.
  const updated = await db
    .update(passkeys)
    .set({ counter: verified.authenticationInfo.newCounter, lastUsedAt: clock.now().toISOString() })
    .where(and(eq(passkeys.id, key.id), eq(passkeys.counter, key.counter)))
    .returning({ id: passkeys.id });
  if (updated.length === 0) return refused;
  await db.update(people).set({ lastSignInAt: clock.now().toISOString() }).where(eq(people.id, person.id));
  return { ok: true, person, passkeyId: key.id };
}

async function hitLimit(deps: SignInDeps, ip: string): Promise<Limited | null> {
  const result = await rateLimiter(deps.db, deps.clock, deps.limit ?? PASSKEY_SIGN_IN_IP_LIMIT).hit(ip);
  return result.limited ? { ok: false, reason: "rate_limited", retryAfterSeconds: result.retryAfterSeconds } : null;
}
