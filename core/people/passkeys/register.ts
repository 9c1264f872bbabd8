import type { PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/server";
import { generateRegistrationOptions, verifyRegistrationResponse } from "@simplewebauthn/server";
import { isoBase64URL } from "@simplewebauthn/server/helpers";
import { eq } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { passkeys } from "../../../db/schema.ts";
import type { Clock } from "../../actions/clock.ts";
import type { Actor } from "../../actions/context.ts";
import { commitChanges } from "../../changes/commit.ts";
import { consumeChallenge, issueChallenge } from "./challenges.ts";
import type { RelyingParty } from "./relying-party.ts";
import { passkeyName, type RegistrationResponse } from "./schemas.ts";

/** The signed-in person adding a passkey. */
export type PasskeyOwner = { id: string; name: string; email: string };

export type RegistrationStart = { challengeId: string; options: PublicKeyCredentialCreationOptionsJSON };

/**
 * Options for `navigator.credentials.create`: a discoverable credential (so signing in asks no email) with
 * user verification, for this person, excluding the passkeys they already have on the same authenticator.
 */
export async function startPasskeyRegistration(
  db: Db,
  clock: Clock,
  rp: RelyingParty,
  owner: PasskeyOwner,
): Promise<RegistrationStart> {
  const existing = await db
    .select({ id: passkeys.id, transports: passkeys.transports })
    .from(passkeys)
    .where(eq(passkeys.personId, owner.id));
  const issued = await issueChallenge(db, clock, "register", owner.id);
  const options = await generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: owner.email,
    userDisplayName: owner.name,
    userID: new TextEncoder().encode(owner.id),
    // Bytes, not the string: a string would be taken as the raw challenge and encoded once more.
    challenge: isoBase64URL.toBuffer(issued.challenge),
    attestationType: "none",
    excludeCredentials: existing.map((key) => ({ id: key.id, transports: key.transports })),
    authenticatorSelection: { residentKey: "required", userVerification: "required" },
  });
  return { challengeId: issued.id, options };
}

export type RegistrationOutcome =
  | { ok: true; passkey: { id: string; name: string; createdAt: string } }
  | { ok: false; reason: "challenge" | "verification" | "duplicate" }
  | { ok: false; reason: "name"; message: string };

/**
 * Checks the browser's answer (challenge single-use and this person's, origin, RP ID, user verification,
 * signature) and stores the passkey under `name`. Nothing is stored unless every check passes.
 */
export async function finishPasskeyRegistration(
  db: Db,
  clock: Clock,
  rp: RelyingParty,
  owner: Pick<PasskeyOwner, "id">,
  answer: { challengeId: string; name: string; response: RegistrationResponse },
  /** Who adds it, for the audit log: the person, as their session acts. */
  actor: Actor,
): Promise<RegistrationOutcome> {
  const name = passkeyName.safeParse(answer.name);
  if (!name.success) return { ok: false, reason: "name", message: name.error.issues[0]?.message ?? "not valid" };
  const challenge = await consumeChallenge(db, clock, answer.challengeId, "register", owner.id);
  if (!challenge) return { ok: false, reason: "challenge" };
  const verified = await verifyRegistrationResponse({
    response: answer.response,
    expectedChallenge: challenge.challenge,
    expectedOrigin: rp.origin,
    expectedRPID: rp.id,
    requireUserVerification: true,
  }).catch(() => null);
  if (!verified?.verified) return { ok: false, reason: "verification" };
  const { credential, credentialDeviceType, credentialBackedUp } = verified.registrationInfo;
  const [known] = await db.select({ id: passkeys.id }).from(passkeys).where(eq(passkeys.id, credential.id));
  if (known) return { ok: false, reason: "duplicate" };
  const createdAt = clock.now().toISOString();
  const row = {
    id: credential.id,
    personId: owner.id,
    publicKey: isoBase64URL.fromBuffer(credential.publicKey),
    counter: credential.counter,
    transports: credential.transports ?? [],
    deviceType: credentialDeviceType,
    backedUp: credentialBackedUp,
    name: name.data,
    createdAt,
  };
  const audit = { action: "passkey.add", targetType: "person", targetId: owner.id, details: { name: name.data } };
  await commitChanges({ db, clock, actor }, [{ statements: [db.insert(passkeys).values(row)], audit, jobs: [] }]);
  return { ok: true, passkey: { id: credential.id, name: name.data, createdAt } };
}
