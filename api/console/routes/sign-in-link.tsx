/** @jsxImportSource hono/jsx */
import type { Context, Hono } from "hono";
import type { Child } from "hono/jsx";
import { addressSubject, type RateLimitRule, rateLimiter } from "../../../core/actions/rate-limit.ts";
import { startConsoleSession } from "../../../core/console/sessions.ts";
import { acceptInvitation, LINK_NOT_VALID, openInvitation } from "../../../core/people/accept-invitation.ts";
import { requestSignInLink, useSignInLink } from "../../../core/people/sign-in-links.ts";
import { normalizeEmail } from "../../../core/subscribers/email-address.ts";
import { FAILED_AUTH_LIMIT } from "../../middleware/auth.ts";
import { attempt, render } from "../render.ts";
import { type ConsoleDeps, type ConsoleEnv, readForm, setSessionCookie } from "../session.ts";
import { errorsFor, Field, type Refusal, RefusalSummary } from "../ui/form.tsx";
import { Bare } from "../ui/layout.tsx";

/** Sign-in links asked for one address: a few an hour, so nobody floods a colleague's inbox. */
export const LINK_PER_ADDRESS: RateLimitRule = { name: "sign-in-link-address", limit: 5, windowMs: 60 * 60_000 };
/** Sign-in links asked from one client address (any email): enough for an office behind one NAT. */
export const LINK_PER_CLIENT: RateLimitRule = { name: "sign-in-link-client", limit: 30, windowMs: 60 * 60_000 };

export const LINK_SENT =
  "If someone on the team has this address, a sign-in link is on its way to it. It works once, for 15 minutes.";

function Card(props: { title: string; children: Child }) {
  return (
    <Bare title={props.title}>
      <div class="card">
        <div class="card-h">
          <h1>{props.title}</h1>
        </div>
        <div class="card-b">{props.children}</div>
      </div>
    </Bare>
  );
}

function Problem(props: { message: string | undefined }) {
  return props.message ? (
    <div class="alert" role="alert">
      {props.message}
    </div>
  ) : null;
}

function UseLink(props: { token: string; error?: string }) {
  return (
    <Card title="Sign in with your link">
      <Problem message={props.error} />
      {/* A button, not the GET itself: a mail scanner opening the link must not spend it. */}
      <form method="post" action="/admin/sign-in/link/use">
        <input type="hidden" name="token" value={props.token} />
        <button class="btn btn-primary" type="submit">
          Sign in
        </button>
      </form>
    </Card>
  );
}

function Invitation(props: { token: string; email?: string; role?: string; refusal?: Refusal; name?: string }) {
  return (
    <Card title="Join the team">
      <RefusalSummary refusal={props.refusal} />
      {props.email && <p>{`You are invited as ${props.role ?? ""} with ${props.email}.`}</p>}
      <form method="post" action="/admin/invitation">
        <input type="hidden" name="token" value={props.token} />
        <Field
          id="person-name"
          label="Your name"
          help="How the team and the audit log will name you."
          errors={errorsFor(props.refusal, "name")}
        >
          {(aria) => (
            <input {...aria} type="text" name="name" value={props.name ?? ""} autocomplete="name" required autofocus />
          )}
        </Field>
        <button class="btn btn-primary" type="submit">
          Accept and sign in
        </button>
      </form>
    </Card>
  );
}

/** The sign-in paths that start from mail: asking for a link, using it, accepting an invitation (before any session). */
export function signInLinkRoutes(app: Hono<ConsoleEnv>, deps: ConsoleDeps): void {
  const perAddress = rateLimiter(deps.db, deps.clock, LINK_PER_ADDRESS);
  const perClient = rateLimiter(deps.db, deps.clock, LINK_PER_CLIENT);
  const failures = rateLimiter(deps.db, deps.clock, FAILED_AUTH_LIMIT);
  const ctx = { db: deps.db, clock: deps.clock, settings: deps.settings, onCommit: deps.onCommit };
  const client = (c: Context) => addressSubject(deps.clientAddress?.(c));
  const tooMany = (c: Context, seconds: number, screen: string | Promise<string>) => {
    c.header("Retry-After", String(seconds));
    return render(c, screen, 429);
  };

  app.post("/sign-in/link", async (c) => {
    const form = await readForm(c);
    const email = normalizeEmail(form.email ?? "");
    const again = (seconds: number) =>
      tooMany(
        c,
        seconds,
        <Card title="Check your mail">
          <Problem message={`Too many sign-in links asked for; try again in ${seconds} s.`} />
        </Card>,
      );
    const byClient = await perClient.hit(client(c));
    if (byClient.limited) return again(byClient.retryAfterSeconds);
    if (email) {
      const byAddress = await perAddress.hit(email);
      // The same answer as a sent link: a limited address must not tell that it exists.
      if (!byAddress.limited) await requestSignInLink(ctx, email);
    }
    return render(
      c,
      <Card title="Check your mail">
        <p role="status">{LINK_SENT}</p>
        <p>
          <a href="/admin/sign-in">Back to sign-in</a>
        </p>
      </Card>,
    );
  });

  app.get("/sign-in/link", (c) => render(c, <UseLink token={c.req.query("token") ?? ""} />));

  app.post("/sign-in/link/use", async (c) => {
    const form = await readForm(c);
    const token = form.token ?? "";
    const blocked = await failures.check(client(c));
    if (blocked.limited)
      return tooMany(
        c,
        blocked.retryAfterSeconds,
        <UseLink token={token} error="Too many wrong links from this address; try again later." />,
      );
    const person = await useSignInLink(ctx, token.trim());
    if (!person) {
      await failures.hit(client(c));
      return render(c, <UseLink token="" error={LINK_NOT_VALID} />, 400);
    }
    const owner = { kind: "person" as const, id: person.id };
    const session = await startConsoleSession(deps.db, deps.clock, person, owner, c.req.header("User-Agent"));
    setSessionCookie(c, session.secret, session.expiresAt);
    return c.redirect("/admin", 303);
  });

  app.get("/invitation", async (c) => {
    const token = c.req.query("token") ?? "";
    const open = await openInvitation(ctx, token);
    if (!open)
      return render(
        c,
        <Card title="Join the team">
          <Problem message={LINK_NOT_VALID} />
        </Card>,
        400,
      );
    return render(c, <Invitation token={token} email={open.email} role={open.role} />);
  });

  app.post("/invitation", async (c) => {
    const form = await readForm(c);
    const token = form.token ?? "";
    const blocked = await failures.check(client(c));
    if (blocked.limited)
      return tooMany(
        c,
        blocked.retryAfterSeconds,
        <Card title="Join the team">
          <Problem message="Too many wrong links from this address; try again later." />
        </Card>,
      );
    const accepted = await attempt(() => acceptInvitation(ctx, { token, name: form.name ?? "" }));
    if (!accepted.ok) {
      if (accepted.refusal.message === LINK_NOT_VALID) await failures.hit(client(c));
      return render(c, <Invitation token={token} refusal={accepted.refusal} name={form.name ?? ""} />, accepted.status);
    }
    const person = accepted.value;
    const owner = { kind: "person" as const, id: person.id };
    const session = await startConsoleSession(deps.db, deps.clock, person, owner, c.req.header("User-Agent"));
    setSessionCookie(c, session.secret, session.expiresAt);
    // Right after joining is when a passkey is easiest to add (docs/team.md#passkeys).
    return c.redirect("/admin/passkeys?welcome=1", 303);
  });
}
