import { eq } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { secrets } from "../../db/schema.ts";
import type { Clock } from "../actions/clock.ts";

/**
 * Every process that signs or verifies subscriber links (a runner's mail, a Worker's confirm page) must use
 * the same HERALD_SECRET. The database keeps a check value, an HMAC of a fixed label under the secret (never
 * the secret), so a process started with another secret sees it at once instead of refusing every link.
 * Runtime-neutral (Web Crypto): the Worker checks with the same code.
 */
const CHECK_NAME = "herald-secret-check";
const CHECK_LABEL = "herald secret check v1";

export type SecretVerdict =
  | { ok: true; recorded: boolean }
  | { ok: false; reason: "missing" | "differs" | "unset-but-recorded"; message: string };

export const SECRET_MESSAGES = {
  missing:
    "HERALD_SECRET is not set: it is required when the database is not a local file (every process sharing the database signs subscriber links with it). Set it to the same value of at least 32 characters everywhere.",
  differs:
    "HERALD_SECRET differs from the one this database was set up with: set it to the same value as the Worker, the runner and `herald init` use.",
  "unset-but-recorded":
    "HERALD_SECRET is not set, but this database was set up with one: set it to the same value as the other Herald processes use.",
} as const;

/** The check value of `secret`: HMAC-SHA256 of a fixed label, base64url. */
export async function secretCheckValue(secret: string): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(CHECK_LABEL)));
  let binary = "";
  for (const byte of mac) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

async function recordedCheck(db: Db): Promise<string | null> {
  const [row] = await db.select({ value: secrets.value }).from(secrets).where(eq(secrets.name, CHECK_NAME));
  return row?.value ?? null;
}

/**
 * Compares `secret` with the database's check value. `required`: the database is remote, so a secret must be
 * set. With `record`, a secret the database has no check value for yet is recorded (init, a start, a runner);
 * the Worker only compares.
 */
export async function checkSecret(
  db: Db,
  clock: Clock,
  secret: string | undefined,
  options: { required: boolean; record: boolean },
): Promise<SecretVerdict> {
  const recorded = await recordedCheck(db);
  if (!secret) {
    if (options.required) return { ok: false, reason: "missing", message: SECRET_MESSAGES.missing };
    if (recorded !== null)
      return { ok: false, reason: "unset-but-recorded", message: SECRET_MESSAGES["unset-but-recorded"] };
    return { ok: true, recorded: false };
  }
  const value = await secretCheckValue(secret);
  if (recorded === null) {
    if (!options.record) return { ok: true, recorded: false };
    // Two processes starting at once both insert; the first wins and the second compares with it.
    await db
      .insert(secrets)
      .values({ name: CHECK_NAME, value, createdAt: clock.now().toISOString() })
      .onConflictDoNothing();
    return checkSecret(db, clock, secret, { ...options, record: false });
  }
  return recorded === value
    ? { ok: true, recorded: true }
    : { ok: false, reason: "differs", message: SECRET_MESSAGES.differs };
}
