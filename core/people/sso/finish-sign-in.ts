import { and, eq, gt, isNull } from "drizzle-orm";
import * as oidc from "openid-client";
import type { Db } from "../../../db/client.ts";
import { oidcLogins } from "../../../db/schema.ts";
import type { Clock } from "../../actions/clock.ts";
import type { OidcConfig } from "./config.ts";
import { identityFromClaims, type SsoIdentity } from "./identity.ts";
import { providerConfiguration } from "./provider.ts";

export type SsoCallback =
  | { ok: true; identity: SsoIdentity; returnTo: string }
  | { ok: false; reason: "unknown-login" | "provider-refused" | "not-verified"; detail?: string };

/**
 * Completes a round trip at the callback: claims the stored login once (a replayed or late callback finds
 * nothing), lets the library exchange the code and check the ID token (signature, issuer, audience, expiry,
 * nonce, state, PKCE), and says who the provider vouches for. `callbackUrl` is the redirect URI with the
 * query the provider sent.
 */
export async function finishSsoSignIn(
  db: Db,
  clock: Clock,
  config: OidcConfig,
  callback: { callbackUrl: URL; cookieState: string | undefined },
): Promise<SsoCallback> {
  const state = callback.callbackUrl.searchParams.get("state") ?? "";
  // The login must also come back to the browser that began it (its cookie), or a link could sign in someone else.
  if (!state || state !== callback.cookieState) return { ok: false, reason: "unknown-login" };
  const now = clock.now().toISOString();
  const [login] = await db
    .update(oidcLogins)
    .set({ usedAt: now })
    .where(and(eq(oidcLogins.state, state), isNull(oidcLogins.usedAt), gt(oidcLogins.expiresAt, now)))
    .returning();
  if (!login) return { ok: false, reason: "unknown-login" };
  const providerError = callback.callbackUrl.searchParams.get("error");
  if (providerError) return { ok: false, reason: "provider-refused", detail: providerError };
  try {
    const provider = await providerConfiguration(config);
    const tokens = await oidc.authorizationCodeGrant(provider, callback.callbackUrl, {
      expectedState: login.state,
      expectedNonce: login.nonce,
      pkceCodeVerifier: login.codeVerifier,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims) return { ok: false, reason: "provider-refused", detail: "no ID token" };
    // Some providers (Entra ID, Okta without the claim mapped) name the address only at the userinfo endpoint.
    const userInfo =
      typeof claims.email === "string" ? {} : await oidc.fetchUserInfo(provider, tokens.access_token, claims.sub);
    const identity = identityFromClaims({ ...userInfo, ...claims });
    if (!identity) return { ok: false, reason: "not-verified" };
    return { ok: true, identity, returnTo: login.returnTo };
  } catch (error) {
    return { ok: false, reason: "provider-refused", detail: error instanceof Error ? error.message : String(error) };
  }
}
