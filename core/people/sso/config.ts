/** The OpenID provider Herald signs people in with: OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET. */
export type OidcConfig = { issuer: string; clientId: string; clientSecret: string };

export type OidcEnv = {
  OIDC_ISSUER?: string | undefined;
  OIDC_CLIENT_ID?: string | undefined;
  OIDC_CLIENT_SECRET?: string | undefined;
};

/**
 * Single sign-on as configured by environment (Node) or bindings (Workers): null when none of the three is
 * set; a half configuration or an issuer that is not an https URL (http only on this machine) is refused at start.
 */
export function oidcConfigFromEnv(env: OidcEnv): OidcConfig | null {
  const issuer = env.OIDC_ISSUER?.trim() ?? "";
  const clientId = env.OIDC_CLIENT_ID?.trim() ?? "";
  const clientSecret = env.OIDC_CLIENT_SECRET ?? "";
  if (!issuer && !clientId && !clientSecret) return null;
  const missing = [
    ["OIDC_ISSUER", issuer],
    ["OIDC_CLIENT_ID", clientId],
    ["OIDC_CLIENT_SECRET", clientSecret],
  ]
    .filter(([, value]) => !value)
    .map(([name]) => name);
  if (missing.length > 0) {
    throw new Error(
      `Single sign-on needs OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET; ${missing.join(", ")} unset.`,
    );
  }
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new Error(
      `OIDC_ISSUER must be the provider's issuer URL, like https://accounts.google.com, not "${issuer}".`,
    );
  }
  if (url.protocol !== "https:" && !isLocalIssuer(url)) {
    throw new Error(`OIDC_ISSUER must be an https URL (http only for localhost), not "${issuer}".`);
  }
  return { issuer, clientId, clientSecret };
}

/** A provider on this machine (a development or test provider) may speak plain http. */
export function isLocalIssuer(url: URL): boolean {
  return url.protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
}

const KNOWN_ISSUERS: [RegExp, string][] = [
  [/^accounts\.google\.com$/, "Google"],
  [/\.okta(preview)?\.com$/, "Okta"],
  [/^login\.microsoftonline\.com$/, "Microsoft"],
  [/\.auth0\.com$/, "Auth0"],
  [/^gitlab\.com$/, "GitLab"],
];

/** What the sign-in button calls the provider: its brand for the well-known ones, else its host name. */
export function issuerName(config: OidcConfig): string {
  const host = new URL(config.issuer).hostname;
  return KNOWN_ISSUERS.find(([pattern]) => pattern.test(host))?.[1] ?? host;
}
