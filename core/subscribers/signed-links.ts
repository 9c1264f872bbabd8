import { eq } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { secrets } from "../../db/schema.ts";
import type { Clock } from "../actions/clock.ts";

/**
 * Signed links in subscriber mail (no login): `<payload>.<signature>`, both base64url, the payload
 * `<subscriber id>.<purpose>.<expiry in unix seconds, 0 = none>`, signed with HMAC-SHA256 under the
 * server secret. Runtime-neutral (Web Crypto), so the Worker and the Node sender sign alike.
 */
export type LinkPurpose = "confirm" | "manage" | "unsubscribe";

export type LinkClaims = { subscriberId: string; purpose: LinkPurpose };

/** A confirmation link is valid for 48 hours; manage and unsubscribe links last as long as the subscriber does. */
export const CONFIRM_LINK_VALID_MS = 48 * 60 * 60 * 1000;

const SECRET_NAME = "link-hmac";
const PURPOSES: readonly LinkPurpose[] = ["confirm", "manage", "unsubscribe"];
const encoder = new TextEncoder();

export type LinkSigner = {
  sign(claims: LinkClaims, now: Date): Promise<string>;
  /** The claims of a genuine, unexpired token for `purpose`, or why not. */
  verify(
    token: string,
    purpose: LinkPurpose,
    now: Date,
  ): Promise<{ ok: true; subscriberId: string } | { ok: false; reason: "invalid" | "expired" }>;
};

/**
 * A synchronous HMAC-SHA256 of `data` under `secret` (both UTF-8), which a runtime may pass for hot
 * paths: a fan-out signs two links per mail, and Web Crypto's async sign cost 30-280 µs a call on our
 * machines against 6-16 µs for Node's `createHmac`. The tokens are the same either way.
 */
export type HmacSha256 = (secret: string, data: string) => Uint8Array;

/**
 * The signer under `HERALD_SECRET` when the transport passes it, else under a random secret generated
 * once and kept in `secrets` (every process sharing the database signs with the same key).
 */
export async function linkSigner(
  db: Db,
  clock: Clock,
  configuredSecret?: string | undefined,
  fastHmac?: HmacSha256 | undefined,
): Promise<LinkSigner> {
  const secret = configuredSecret || (await storedSecret(db, clock));
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
    "verify",
  ]);
  return {
    async sign({ subscriberId, purpose }, now) {
      const expires = purpose === "confirm" ? Math.floor((now.getTime() + CONFIRM_LINK_VALID_MS) / 1000) : 0;
      const payload = base64url(encoder.encode(`${subscriberId}.${purpose}.${expires}`));
      const signature = fastHmac
        ? fastHmac(secret, payload)
        : new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(payload)));
      return `${payload}.${base64url(signature)}`;
    },
    async verify(token, purpose, now) {
      const [payload, signature, extra] = token.split(".");
      if (!payload || !signature || extra !== undefined || token.length > 512) return { ok: false, reason: "invalid" };
      const signatureBytes = fromBase64url(signature);
      if (!signatureBytes) return { ok: false, reason: "invalid" };
      // crypto.subtle.verify compares in constant time.
      const genuine = await crypto.subtle.verify("HMAC", key, signatureBytes, encoder.encode(payload));
      if (!genuine) return { ok: false, reason: "invalid" };
      const decoded = fromBase64url(payload);
      const [subscriberId, claimed, expires] = decoded ? new TextDecoder().decode(decoded).split(".") : [];
      if (!subscriberId || claimed !== purpose || !PURPOSES.includes(claimed) || expires === undefined) {
        return { ok: false, reason: "invalid" };
      }
      const expiresAt = Number(expires) * 1000;
      if (expiresAt !== 0 && expiresAt <= now.getTime()) return { ok: false, reason: "expired" };
      return { ok: true, subscriberId };
    },
  };
}

export async function storedSecret(db: Db, clock: Clock): Promise<string> {
  const fresh = base64url(crypto.getRandomValues(new Uint8Array(32)));
  // Two processes starting at once both insert; the first one wins and both read it back.
  await db
    .insert(secrets)
    .values({ name: SECRET_NAME, value: fresh, createdAt: clock.now().toISOString() })
    .onConflictDoNothing();
  const [row] = await db.select({ value: secrets.value }).from(secrets).where(eq(secrets.name, SECRET_NAME));
  if (!row) throw new Error("the link secret could not be stored");
  return row.value;
}

function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  try {
    const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}
