import * as oidc from "openid-client";
import { isLocalIssuer, type OidcConfig } from "./config.ts";

const discovered = new Map<string, Promise<oidc.Configuration>>();

/**
 * The provider's metadata and keys (its discovery document), fetched once per process or isolate; a failed
 * discovery is forgotten so the next sign-in tries again.
 */
export function providerConfiguration(config: OidcConfig): Promise<oidc.Configuration> {
  const key = `${config.issuer}\n${config.clientId}\n${config.clientSecret}`;
  let found = discovered.get(key);
  if (!found) {
    const issuer = new URL(config.issuer);
    found = oidc.discovery(
      issuer,
      config.clientId,
      undefined,
      oidc.ClientSecretBasic(config.clientSecret),
      isLocalIssuer(issuer) ? { execute: [oidc.allowInsecureRequests] } : undefined,
    );
    found.catch(() => discovered.delete(key));
    discovered.set(key, found);
  }
  return found;
}
