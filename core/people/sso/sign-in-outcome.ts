import type { Db } from "../../../db/client.ts";
import type { Clock } from "../../actions/clock.ts";
import { decideSsoAccess, type SsoAccess } from "./access.ts";
import type { OidcConfig } from "./config.ts";
import { finishSsoSignIn, type SsoCallback } from "./finish-sign-in.ts";
import type { SsoIdentity } from "./identity.ts";
import { readSsoPolicy } from "./policy.ts";

/** Finds the live person with this (normalized) address: the people feature's lookup. */
export type PersonByEmail = (email: string) => Promise<string | null>;

export type SsoOutcome =
  | Extract<SsoCallback, { ok: false }>
  | { ok: true; identity: SsoIdentity; access: SsoAccess; returnTo: string };

/** The callback, then what the verified identity may do under the page's single sign-on settings. */
export async function ssoSignInOutcome(
  db: Db,
  clock: Clock,
  config: OidcConfig,
  callback: { callbackUrl: URL; cookieState: string | undefined },
  personByEmail: PersonByEmail,
): Promise<SsoOutcome> {
  const result = await finishSsoSignIn(db, clock, config, callback);
  if (!result.ok) return result;
  const access = decideSsoAccess(result.identity, await personByEmail(result.identity.email), await readSsoPolicy(db));
  return { ok: true, identity: result.identity, access, returnTo: result.returnTo };
}
