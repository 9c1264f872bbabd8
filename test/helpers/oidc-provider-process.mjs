// A real OpenID provider (the certified `oidc-provider` package) in its own process, for the SSO journey.
// One confidential client (Herald's callback, OIDC_REDIRECT_URI); its development login page takes any
// login with any password, and the login names the account: see ACCOUNTS. Prints `listening <port>`.
import { createServer } from "node:http";
import Provider from "oidc-provider";

/** Test accounts by login: an allowed domain, a disallowed one, and an address the provider has not verified. */
const ACCOUNTS = {
  ada: { email: "ada@example.com", email_verified: true, name: "Ada Lovelace" },
  grace: { email: "Grace.Hopper@Example.com", email_verified: true, name: "Grace Hopper" },
  mallory: { email: "mallory@elsewhere.test", email_verified: true, name: "Mallory" },
  eve: { email: "eve@example.com", email_verified: false, name: "Eve" },
};

const redirectUri = process.env.OIDC_REDIRECT_URI;
const clientId = process.env.OIDC_CLIENT_ID ?? "herald";
const clientSecret = process.env.OIDC_CLIENT_SECRET ?? "herald-test-secret";
if (!redirectUri) throw new Error("OIDC_REDIRECT_URI is required");

let handle = (_req, res) => res.writeHead(503).end();
const server = createServer((req, res) => handle(req, res));
await new Promise((resolve) => server.listen(Number(process.env.OIDC_PORT ?? 0), resolve));
const { port } = server.address();
// `localhost`, not 127.0.0.1: another site than Herald's, as a real provider is (SameSite cookies matter).
const issuer = `http://localhost:${port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      client_name: "Herald",
      redirect_uris: [redirectUri],
      grant_types: ["authorization_code"],
      response_types: ["code"],
    },
  ],
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
  // Real providers (Google, Okta) put the asked-for claims in the ID token too.
  conformIdTokenClaims: false,
  async findAccount(_ctx, id) {
    const account = ACCOUNTS[id];
    if (!account) return undefined;
    return { accountId: id, claims: () => ({ sub: id, ...account }) };
  },
  cookies: { keys: ["herald-oidc-test-cookie-key"] },
});
handle = provider.callback();
process.stdout.write(`listening ${port}\n`);

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
