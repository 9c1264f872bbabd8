import { describe, expect, it } from "vitest";
import { decideSsoAccess } from "../../core/people/sso/access.ts";
import { issuerName, oidcConfigFromEnv } from "../../core/people/sso/config.ts";
import { identityFromClaims } from "../../core/people/sso/identity.ts";

describe("who single sign-on vouches for", () => {
  it("only a verified address, lower-cased; a hostile or missing name falls back to the address", () => {
    expect(identityFromClaims({ sub: "1", email: "Ada@Example.COM", email_verified: true, name: "Ada" })).toEqual({
      subject: "1",
      email: "ada@example.com",
      name: "Ada",
    });
    expect(identityFromClaims({ sub: "1", email: "ada@example.com", email_verified: false })).toBeNull();
    expect(identityFromClaims({ sub: "1", email: "ada@example.com" })).toBeNull();
    expect(identityFromClaims({ sub: "1", email: "ada@example.com", xms_edov: true })?.email).toBe("ada@example.com");
    expect(identityFromClaims({ sub: "1", email: "not an address", email_verified: true })).toBeNull();
    const hostile = identityFromClaims({
      sub: "1",
      email: "eve@example.com",
      email_verified: true,
      name: "Eve\u202Enimda",
    });
    expect(hostile?.name).toBe("eve");
  });

  it("an existing person signs in anywhere; a new one only on an exactly allowed domain", () => {
    const identity = { subject: "1", email: "ada@eng.example.com", name: "Ada" };
    const policy = { domains: ["example.com"], defaultRole: "commander" as const };
    expect(decideSsoAccess(identity, "p1", policy)).toEqual({ kind: "existing", personId: "p1" });
    expect(decideSsoAccess(identity, null, policy)).toEqual({ kind: "refused", domain: "eng.example.com" });
    expect(decideSsoAccess({ ...identity, email: "ada@example.com" }, null, policy)).toMatchObject({
      kind: "create",
      role: "commander",
    });
  });

  it("configuration: all three settings or none, an https issuer (http only on this machine)", () => {
    expect(oidcConfigFromEnv({})).toBeNull();
    expect(() => oidcConfigFromEnv({ OIDC_ISSUER: "https://accounts.google.com" })).toThrow(
      /OIDC_CLIENT_ID, OIDC_CLIENT_SECRET unset/,
    );
    const full = { OIDC_CLIENT_ID: "id", OIDC_CLIENT_SECRET: "secret" };
    expect(() => oidcConfigFromEnv({ ...full, OIDC_ISSUER: "http://idp.example.com" })).toThrow(/https/);
    expect(oidcConfigFromEnv({ ...full, OIDC_ISSUER: "http://localhost:9000" })?.issuer).toBe("http://localhost:9000");
    const google = oidcConfigFromEnv({ ...full, OIDC_ISSUER: "https://accounts.google.com" });
    expect(google && issuerName(google)).toBe("Google");
    const okta = oidcConfigFromEnv({ ...full, OIDC_ISSUER: "https://acme.okta.com/oauth2/default" });
    expect(okta && issuerName(okta)).toBe("Okta");
  });
});
