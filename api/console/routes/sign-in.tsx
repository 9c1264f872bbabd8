/** @jsxImportSource hono/jsx */
import type { Context, Hono } from "hono";
import { addressSubject, rateLimiter } from "../../../core/actions/rate-limit.ts";
import { endConsoleSession, findConsoleSession, startConsoleSession } from "../../../core/console/sessions.ts";
import { issuerName } from "../../../core/people/sso/config.ts";
import { authenticate } from "../../../core/tokens/authenticate.ts";
import { FAILED_AUTH_LIMIT } from "../../middleware/auth.ts";
import { render } from "../render.ts";
import {
  type ConsoleDeps,
  type ConsoleEnv,
  clearSessionCookie,
  readForm,
  sessionSecret,
  setSessionCookie,
} from "../session.ts";
import { Bare } from "../ui/layout.tsx";

/** Only a path inside the console: `next` must never send a signed-in user elsewhere. */
export function safeNext(next: string | undefined): string {
  return next && /^\/admin(\/[\w\-/]*)?$/.test(next) ? next : "/admin";
}

function SignIn(props: { next: string; error?: string; signedOut?: boolean; ssoName?: string | undefined }) {
  // People's ways in come first (single sign-on, a passkey, an emailed link); a pasted token is for the first
  // start and for scripts' owners.
  return (
    <Bare title="Sign in">
      <div class="card">
        <div class="card-h">
          <h1>Sign in</h1>
        </div>
        <div class="card-b">
          {props.signedOut && (
            <p class="notice" role="status">
              You are signed out.
            </p>
          )}
          <p class="help">
            {props.ssoName
              ? `Sign in as yourself with your ${props.ssoName} account or a passkey, or with an emailed link below.`
              : "Sign in as yourself with a passkey, or with an emailed link below."}
          </p>
          <div class="sign-in-ways">
            {props.ssoName && (
              // A link, not a form: the console's CSP lets forms post only to itself, and the provider is elsewhere.
              <a class="btn btn-primary" href={`/admin/sso/start?next=${encodeURIComponent(props.next)}`}>
                Sign in with {props.ssoName}
              </a>
            )}
            <button
              class={props.ssoName ? "btn" : "btn btn-primary"}
              type="button"
              id="passkey-sign-in"
              data-next={props.next}
              hidden
            >
              Sign in with a passkey
            </button>
          </div>
          <div class="alert" role="alert" id="passkey-error" hidden />
          <script src="/admin/assets/passkeys.js" defer />
        </div>
      </div>
      <div class="card gap-top">
        <div class="card-h">
          <h2>Or email me a sign-in link</h2>
        </div>
        <div class="card-b">
          <form method="post" action="/admin/sign-in/link">
            <div class="field">
              <label for="email">Your email address</label>
              <input type="email" id="email" name="email" autocomplete="email" required aria-describedby="email-help" />
              <p class="help" id="email-help">
                For people on the team: the link works once, for 15 minutes.
              </p>
            </div>
            <button class="btn" type="submit">
              Email me a link
            </button>
          </form>
        </div>
      </div>
      <div class="card gap-top">
        <div class="card-h">
          <h2>Or with an API token</h2>
        </div>
        <div class="card-b">
          {props.error && (
            <div class="alert" role="alert">
              {props.error}
            </div>
          )}
          <form method="post" action="/admin/sign-in">
            <input type="hidden" name="next" value={props.next} />
            <div class="field">
              <label for="token">API token</label>
              <input
                type="password"
                id="token"
                name="token"
                autocomplete="current-password"
                required
                aria-describedby="token-help"
                aria-invalid={props.error ? "true" : undefined}
                autofocus={props.error ? true : undefined}
              />
              <p class="help" id="token-help">
                The admin token Herald printed on its first start, or any token from API tokens. Its role decides what
                you can do here.
              </p>
            </div>
            <button class="btn" type="submit">
              Sign in
            </button>
          </form>
        </div>
      </div>
    </Bare>
  );
}

export function signInRoutes(app: Hono<ConsoleEnv>, deps: ConsoleDeps): void {
  const failures = rateLimiter(deps.db, deps.clock, FAILED_AUTH_LIMIT);
  const ssoName = deps.sso ? issuerName(deps.sso) : undefined;

  app.get("/sign-in", async (c) => {
    const secret = sessionSecret(c);
    if (secret && (await findConsoleSession(deps.db, deps.clock, secret))) return c.redirect("/admin", 303);
    return render(
      c,
      <SignIn
        ssoName={ssoName}
        next={safeNext(c.req.query("next"))}
        signedOut={c.req.query("done") === "signed-out"}
      />,
    );
  });

  app.post("/sign-in", async (c: Context) => {
    const form = await readForm(c);
    const next = safeNext(form.next);
    const subject = addressSubject(deps.clientAddress?.(c));
    const tooMany = (seconds: number) => {
      c.header("Retry-After", String(seconds));
      return render(
        c,
        <SignIn
          ssoName={ssoName}
          next={next}
          error={`Too many wrong tokens from this address; try again in ${seconds} s.`}
        />,
        429,
      );
    };
    const blocked = await failures.check(subject);
    if (blocked.limited) return tooMany(blocked.retryAfterSeconds);
    const token = form.token?.trim() ? await authenticate(deps.db, form.token.trim()) : null;
    if (!token) {
      const counted = await failures.hit(subject);
      if (counted.limited) return tooMany(counted.retryAfterSeconds);
      return render(
        c,
        <SignIn ssoName={ssoName} next={next} error="That token is not valid or has been revoked." />,
        401,
      );
    }
    if (token.actor.role === "automation") {
      const error = "That is an alert source's token: it can only deliver alerts. Sign in with a person's token.";
      return render(c, <SignIn ssoName={ssoName} next={next} error={error} />, 403);
    }
    const session = await startConsoleSession(deps.db, deps.clock, token.actor, undefined, c.req.header("User-Agent"));
    setSessionCookie(c, session.secret, session.expiresAt);
    return c.redirect(next, 303);
  });
}

/** Sign-out sits behind the session check (its form carries the CSRF token like every other). */
export function signOutRoute(app: Hono<ConsoleEnv>, deps: ConsoleDeps): void {
  app.post("/sign-out", async (c) => {
    const secret = sessionSecret(c);
    if (secret) await endConsoleSession(deps.db, secret);
    clearSessionCookie(c);
    return c.redirect("/admin/sign-in?done=signed-out", 303);
  });
}
