import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Clock } from "../../core/actions/clock.ts";
import type { ActionContext } from "../../core/actions/context.ts";
import { type ConsoleSession, findConsoleSession, noteSessionSeen } from "../../core/console/sessions.ts";
import type { OidcConfig } from "../../core/people/sso/config.ts";
import type { Db } from "../../db/client.ts";
import type { ClientAddress } from "../middleware/auth.ts";
import { noteCommits } from "../written.ts";
import type { FormValues } from "./ui/form.tsx";

export type ConsoleDeps = {
  db: Db;
  clock: Clock;
  onCommit?: (() => void) | undefined;
  clientAddress?: ClientAddress | undefined;
  log?: ((error: unknown) => void) | undefined;
  /** The configured team address and default cadence (environment), as the API's actions get them. */
  settings?: ActionContext["settings"];
  /** The OpenID provider people sign in with (OIDC_*); null or unset: no single sign-on. */
  sso?: OidcConfig | null | undefined;
};

export type ConsoleEnv = { Variables: { session: ConsoleSession; form: FormValues } };

const COOKIE = "herald_console";
const COOKIE_PATH = "/admin";

/** Secure cookies under https, also behind a TLS-terminating proxy that says so. */
export function isHttps(c: Context): boolean {
  return new URL(c.req.url).protocol === "https:" || c.req.header("X-Forwarded-Proto") === "https";
}

export function setSessionCookie(c: Context, secret: string, expiresAt: string): void {
  setCookie(c, COOKIE, secret, {
    path: COOKIE_PATH,
    httpOnly: true,
    sameSite: "Strict",
    secure: isHttps(c),
    expires: new Date(expiresAt),
  });
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, COOKIE, { path: COOKIE_PATH, secure: isHttps(c) });
}

export function sessionSecret(c: Context): string | undefined {
  return getCookie(c, COOKIE);
}

/** A submitted form's fields as strings; an uploaded file becomes its text. */
export async function readForm(c: Context): Promise<FormValues> {
  const type = c.req.header("Content-Type") ?? "";
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) return {};
  const body = await c.req.parseBody();
  const values: FormValues = {};
  for (const [key, value] of Object.entries(body)) {
    if (typeof value === "string") values[key] = value;
    else if (value instanceof File) values[key] = await value.text();
  }
  return values;
}

function sameToken(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}

/**
 * Requires a live console session (read on every request, so a sign-out or a revoked token ends it at
 * once) and, on every POST, the session's CSRF token in the form, besides the origin check before it.
 */
export function requireSession(
  deps: ConsoleDeps,
  refuse: (c: Context, why: string) => Response | Promise<Response>,
): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    const secret = sessionSecret(c);
    const session = secret ? await findConsoleSession(deps.db, deps.clock, secret) : null;
    if (!session) {
      if (secret) clearSessionCookie(c);
      const back = c.req.method === "GET" ? `?next=${encodeURIComponent(new URL(c.req.url).pathname)}` : "";
      return c.redirect(`/admin/sign-in${back}`, 303);
    }
    c.set("session", session);
    if (secret) await noteSessionSeen(deps.db, deps.clock, secret, session);
    if (c.req.method !== "GET" && c.req.method !== "HEAD") {
      const form = await readForm(c);
      if (!sameToken(form._csrf ?? "", session.csrfToken)) {
        return refuse(
          c,
          "This form is missing its security token or it has expired. Nothing was changed; reload the page and try again.",
        );
      }
      c.set("form", form);
    }
    await next();
  };
}

export function actionContext(c: Context<ConsoleEnv>, deps: ConsoleDeps): ActionContext {
  return {
    db: deps.db,
    clock: deps.clock,
    actor: c.get("session").actor,
    onCommit: noteCommits(c, deps.onCommit),
    settings: deps.settings,
  };
}
