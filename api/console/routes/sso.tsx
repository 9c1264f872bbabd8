/** @jsxImportSource hono/jsx */
import type { Context, Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { addressSubject, type RateLimitRule, rateLimiter } from "../../../core/actions/rate-limit.ts";
import { startConsoleSession } from "../../../core/console/sessions.ts";
import { issuerName, type OidcConfig } from "../../../core/people/sso/config.ts";
import { finishSsoSignIn, type SsoCallback } from "../../../core/people/sso/finish-sign-in.ts";
import { signInPersonBySso } from "../../../core/people/sso/sign-in-person.ts";
import { SSO_LOGIN_MS, startSsoSignIn } from "../../../core/people/sso/start-sign-in.ts";
import { render } from "../render.ts";
import { type ConsoleDeps, type ConsoleEnv, isHttps, setSessionCookie } from "../session.ts";
import { Bare } from "../ui/layout.tsx";
import { safeNext } from "./sign-in.tsx";

/** Round trips to the provider begun per address and minute: each one writes a row. */
export const SSO_START_LIMIT: RateLimitRule = { name: "sso-start", limit: 30, windowMs: 60_000 };

/** Ties a round trip to the browser that began it; Lax, since the provider sends the browser back from its own site. */
const STATE_COOKIE = "herald_sso";
const STATE_PATH = "/admin/sso";
export const CALLBACK_PATH = "/admin/sso/callback";

/** Where the provider sends the browser back: the address to register at the provider. */
function callbackUrl(c: Context): URL {
  const url = new URL(c.req.url);
  if (isHttps(c)) url.protocol = "https:";
  return new URL(`${url.origin}${CALLBACK_PATH}${url.search}`);
}

function Outcome(props: { title: string; children: unknown }) {
  return (
    <Bare title={props.title}>
      <div class="card">
        <div class="card-h">
          <h1>{props.title}</h1>
        </div>
        <div class="card-b">
          {props.children}
          <p>
            <a href="/admin/sign-in">Back to sign-in</a>
          </p>
        </div>
      </div>
    </Bare>
  );
}

function refusalPage(
  c: Context,
  config: OidcConfig,
  outcome: Extract<SsoCallback, { ok: false }>,
): Response | Promise<Response> {
  const provider = issuerName(config);
  switch (outcome.reason) {
    case "unknown-login":
      return render(
        c,
        <Outcome title="Sign-in link expired">
          <p role="alert">
            This return from {provider} has already been used, has expired, or was started in another browser. Nothing
            was changed. Start again from the sign-in page.
          </p>
        </Outcome>,
        400,
      );
    case "not-verified":
      return render(
        c,
        <Outcome title="Address not verified">
          <p role="alert">
            {provider} did not confirm that it verified your email address, so Herald cannot tell who you are. No
            account was created.
          </p>
        </Outcome>,
        403,
      );
    case "provider-refused":
      return render(
        c,
        <Outcome title="Not signed in">
          <p role="alert">{provider} did not sign you in. Nothing was changed; try again, or sign in another way.</p>
        </Outcome>,
        502,
      );
  }
}

/** Single sign-on through the configured OpenID provider: begin the round trip, and take its callback. */
export function ssoRoutes(app: Hono<ConsoleEnv>, deps: ConsoleDeps): void {
  const starts = rateLimiter(deps.db, deps.clock, SSO_START_LIMIT);

  // A GET (the sign-in page links here): it only begins a round trip, bounded per address, expiring unused.
  app.get("/sso/start", async (c) => {
    const config = deps.sso;
    if (!config) return c.notFound();
    const counted = await starts.hit(addressSubject(deps.clientAddress?.(c)));
    if (counted.limited) {
      c.header("Retry-After", String(counted.retryAfterSeconds));
      const wait = `Too many sign-ins from this address; try again in ${counted.retryAfterSeconds} s.`;
      return render(c, <Outcome title="Too many sign-ins">{<p role="alert">{wait}</p>}</Outcome>, 429);
    }
    const callback = callbackUrl(c);
    callback.search = "";
    const { url, state } = await startSsoSignIn(deps.db, deps.clock, config, {
      redirectUri: callback.href,
      returnTo: safeNext(c.req.query("next")),
    });
    setCookie(c, STATE_COOKIE, state, {
      path: STATE_PATH,
      httpOnly: true,
      sameSite: "Lax",
      secure: isHttps(c),
      maxAge: SSO_LOGIN_MS / 1000,
    });
    return c.redirect(url.href, 303);
  });

  app.get("/sso/callback", async (c) => {
    const config = deps.sso;
    if (!config) return c.notFound();
    const cookieState = getCookie(c, STATE_COOKIE);
    deleteCookie(c, STATE_COOKIE, { path: STATE_PATH, secure: isHttps(c) });
    const outcome = await finishSsoSignIn(deps.db, deps.clock, config, { callbackUrl: callbackUrl(c), cookieState });
    if (!outcome.ok) {
      if (outcome.detail) (deps.log ?? console.error)(`Single sign-on refused: ${outcome.detail}`);
      return refusalPage(c, config, outcome);
    }
    const signedIn = await signInPersonBySso(deps, outcome.identity, config.issuer);
    if (!signedIn.ok) {
      const why =
        signedIn.reason === "removed"
          ? `${signedIn.email} was removed from this team. No account was created. Ask an admin to invite you again.`
          : `${signedIn.email} is not on a domain allowed to sign in to this console, and nobody has invited it. No account was created. Ask an admin to invite you.`;
      return render(
        c,
        <Outcome title="Not allowed here">
          <p role="alert">{why}</p>
        </Outcome>,
        403,
      );
    }
    const session = await startConsoleSession(
      deps.db,
      deps.clock,
      signedIn.actor,
      { kind: "person", id: signedIn.actor.id },
      c.req.header("User-Agent"),
    );
    setSessionCookie(c, session.secret, session.expiresAt);
    // A page, not a redirect: the session cookie is SameSite=Strict, and a redirect that began at the
    // provider's site would arrive without it; a refresh from this page is this site's own navigation.
    return render(
      c,
      <Bare title="Signed in" refreshTo={outcome.returnTo}>
        <div class="card">
          <div class="card-b">
            <p role="status">
              Signed in as {signedIn.actor.name}. <a href={outcome.returnTo}>Continue to the console</a>
            </p>
          </div>
        </div>
      </Bare>,
    );
  });
}
