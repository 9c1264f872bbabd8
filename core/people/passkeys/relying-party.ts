/**
 * Who the browser thinks it is talking to. WebAuthn binds a passkey to a host name (the RP ID) and checks
 * the origin of every ceremony, so both come from the console's own URL: a passkey made on
 * `https://status.example.com/admin` signs in there and nowhere else.
 */
export type RelyingParty = { id: string; name: string; origin: string };

/** The relying party for a console served at `consoleUrl`, shown to the person as `pageName`. */
export function relyingPartyFor(consoleUrl: string | URL, pageName: string): RelyingParty {
  const url = new URL(consoleUrl);
  return { id: url.hostname, name: pageName, origin: url.origin };
}
