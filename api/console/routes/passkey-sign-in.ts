import type { Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { addressSubject } from "../../../core/actions/rate-limit.ts";
import { startConsoleSession } from "../../../core/console/sessions.ts";
import { getPage } from "../../../core/page/get-page.ts";
import {
  authenticationResponse,
  finishPasskeySignIn,
  type RelyingParty,
  relyingPartyFor,
  startPasskeySignIn,
} from "../../../core/people/passkeys/index.ts";
import PASSKEY_BUNDLE from "../assets/passkeys.json" with { type: "json" };
import { type ConsoleDeps, type ConsoleEnv, readForm, setSessionCookie } from "../session.ts";
import { safeNext } from "./sign-in.tsx";

/** The console's own origin is the relying party: behind a TLS-terminating proxy that says so, https. */
export async function consoleRelyingParty(c: Context, deps: ConsoleDeps): Promise<RelyingParty> {
  const url = new URL(c.req.url);
  if (c.req.header("X-Forwarded-Proto") === "https") url.protocol = "https:";
  return relyingPartyFor(url, (await getPage(deps.db)).name);
}

/** What the passkey script reads when something is refused (RFC 9457). */
export function problem(c: Context, status: ContentfulStatusCode, title: string, detail: string): Response {
  return c.body(JSON.stringify({ type: "about:blank", title, status, detail }), status, {
    "Content-Type": "application/problem+json",
  });
}

/** Parses the browser's JSON answer; null for anything that is not one. */
export function parseAnswer<T>(
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } },
  text: string | undefined,
): T | null {
  if (!text || text.length > 65_536) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Signing in with a passkey (before the session check): options, then the signed answer. Nobody types an
 * email, and every refusal reads the same, so nothing here tells whether an account exists.
 */
export function passkeySignInRoutes(app: Hono<ConsoleEnv>, deps: ConsoleDeps): void {
  app.get("/assets/passkeys.js", (c) =>
    c.body(PASSKEY_BUNDLE.script, 200, {
      "Content-Type": "text/javascript; charset=utf-8",
      "Cache-Control": "public, max-age=300",
    }),
  );

  const tooMany = (c: Context, seconds: number) => {
    c.header("Retry-After", String(seconds));
    return problem(
      c,
      429,
      "Too many sign-ins",
      `Too many sign-in attempts from this address; try again in ${seconds} s.`,
    );
  };

  app.post("/passkeys/sign-in/options", async (c) => {
    const rp = await consoleRelyingParty(c, deps);
    const started = await startPasskeySignIn(
      { db: deps.db, clock: deps.clock, rp },
      addressSubject(deps.clientAddress?.(c)),
    );
    if (!started.ok) return tooMany(c, started.retryAfterSeconds);
    return c.json({ challengeId: started.challengeId, options: started.options });
  });

  app.post("/passkeys/sign-in", async (c) => {
    const form = await readForm(c);
    const response = parseAnswer(authenticationResponse, form.response);
    if (!response || !form.challengeId) {
      return problem(c, 400, "Not a passkey answer", "The browser's answer could not be read. Try again.");
    }
    const rp = await consoleRelyingParty(c, deps);
    const outcome = await finishPasskeySignIn(
      { db: deps.db, clock: deps.clock, rp },
      addressSubject(deps.clientAddress?.(c)),
      { challengeId: form.challengeId.slice(0, 64), response },
    );
    if (!outcome.ok && outcome.reason === "rate_limited") return tooMany(c, outcome.retryAfterSeconds);
    if (!outcome.ok) {
      return problem(c, 401, "Not signed in", "That passkey did not sign you in. Try again, or use another way in.");
    }
    const session = await startConsoleSession(
      deps.db,
      deps.clock,
      outcome.person,
      { kind: "person", id: outcome.person.id },
      c.req.header("User-Agent"),
    );
    setSessionCookie(c, session.secret, session.expiresAt);
    return c.json({ location: safeNext(form.next) });
  });
}
