import type { PersonTokenRole } from "../../../db/enums.ts";
import type { SsoIdentity } from "./identity.ts";

/** The page settings single sign-on follows: which domains may create an account, and with what role. */
export type SsoPolicy = { domains: string[]; defaultRole: PersonTokenRole };

export type SsoAccess =
  | { kind: "existing"; personId: string }
  | { kind: "create"; email: string; name: string; role: PersonTokenRole }
  | { kind: "refused"; domain: string };

/** The domain of an address, lower case (addresses are normalized before they get here). */
export function emailDomain(email: string): string {
  return email.slice(email.lastIndexOf("@") + 1);
}

/**
 * What a verified identity may do: a person who exists signs in by their address (whatever its domain,
 * since an admin invited them); a new address gets an account only on an allowed domain (exactly, not a
 * subdomain), with the default role; any other address is refused and nothing is created.
 */
export function decideSsoAccess(identity: SsoIdentity, existingPersonId: string | null, policy: SsoPolicy): SsoAccess {
  if (existingPersonId) return { kind: "existing", personId: existingPersonId };
  const domain = emailDomain(identity.email);
  if (policy.domains.includes(domain)) {
    return { kind: "create", email: identity.email, name: identity.name, role: policy.defaultRole };
  }
  return { kind: "refused", domain };
}
