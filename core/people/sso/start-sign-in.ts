import { lte } from "drizzle-orm";
import * as oidc from "openid-client";
import type { Db } from "../../../db/client.ts";
import { oidcLogins } from "../../../db/schema.ts";
import type { Clock } from "../../actions/clock.ts";
import type { OidcConfig } from "./config.ts";
import { providerConfiguration } from "./provider.ts";

/** How long a person has at the provider's sign-in page before the round trip is refused. */
export const SSO_LOGIN_MS = 10 * 60 * 1000;

/**
 * Begins a sign-in at the provider: keeps this round trip's state, nonce and PKCE verifier (single use,
 * expiring) and returns where to send the browser, with the state the callback must bring back.
 */
export async function startSsoSignIn(
  db: Db,
  clock: Clock,
  config: OidcConfig,
  request: { redirectUri: string; returnTo: string },
): Promise<{ url: URL; state: string }> {
  const provider = await providerConfiguration(config);
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const now = clock.now();
  await db.batch([
    db.delete(oidcLogins).where(lte(oidcLogins.expiresAt, now.toISOString())),
    db.insert(oidcLogins).values({
      state,
      nonce,
      codeVerifier,
      returnTo: request.returnTo,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + SSO_LOGIN_MS).toISOString(),
    }),
  ]);
  const url = oidc.buildAuthorizationUrl(provider, {
    redirect_uri: request.redirectUri,
    scope: "openid email profile",
    state,
    nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
  });
  return { url, state };
}
