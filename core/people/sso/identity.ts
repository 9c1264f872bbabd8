import { normalizeEmail } from "../../subscribers/email-address.ts";
import { forbiddenCharacter } from "../../text/safe-text.ts";

/** Who the provider vouches for: a verified address (normalized) and a display name safe to show. */
export type SsoIdentity = { subject: string; email: string; name: string };

const NAME_MAX = 120;

/**
 * The identity in an ID token's (or userinfo's) claims, or null unless the provider says it verified the
 * address: `email_verified`, or Entra ID's `xms_edov` (the address's domain is the tenant's own).
 */
export function identityFromClaims(claims: Record<string, unknown>): SsoIdentity | null {
  const email = typeof claims.email === "string" ? normalizeEmail(claims.email) : null;
  const verified = claims.email_verified === true || claims.email_verified === "true" || claims.xms_edov === true;
  if (!email || !verified || typeof claims.sub !== "string") return null;
  return { subject: claims.sub, email, name: displayName(claims.name, email) };
}

/** The provider's name for the person when it is one clean line, else the address's local part. */
function displayName(name: unknown, email: string): string {
  const fallback = email.slice(0, email.indexOf("@"));
  if (typeof name !== "string") return fallback;
  const trimmed = name.trim().normalize("NFC");
  if (!trimmed || forbiddenCharacter(trimmed) || [...trimmed].length > NAME_MAX) return fallback;
  return trimmed;
}
