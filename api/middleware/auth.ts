import type { Context, MiddlewareHandler } from "hono";
import type { Clock } from "../../core/actions/clock.ts";
import type { Actor } from "../../core/actions/context.ts";
import {
  addressSubject,
  type RateLimitResult,
  type RateLimitRule,
  rateLimiter,
} from "../../core/actions/rate-limit.ts";
import { authenticate } from "../../core/tokens/authenticate.ts";
import { recordTokenUse, tokenUseIsStale } from "../../core/tokens/record-token-use.ts";
import type { Db } from "../../db/client.ts";
import { problem } from "../problem.ts";

export type AuthVariables = { actor: Actor };

/** The client's address as the transport knows it (socket on Node, `CF-Connecting-IP` on Workers). */
export type ClientAddress = (c: Context) => string | undefined;

/** 20 wrong tokens a minute per address: plenty for a typo, nothing for guessing. */
export const FAILED_AUTH_LIMIT: RateLimitRule = { name: "auth-fail", limit: 20, windowMs: 60_000 };

export type BearerAuthOptions = {
  db: Db;
  clock: Clock;
  clientAddress?: ClientAddress | undefined;
  failedAuthLimit?: RateLimitRule | undefined;
  log?: ((error: unknown) => void) | undefined;
};

/**
 * Requires `Authorization: Bearer <token>` and puts the token's actor on the context. An address that
 * sent too many wrong tokens gets 429 for the rest of the window, even with a valid token: otherwise a
 * guess that succeeds would still be told apart from one that fails, and the limit would stop nothing.
 */
export function bearerAuth(options: BearerAuthOptions): MiddlewareHandler<{ Variables: AuthVariables }> {
  const { db, clock } = options;
  const failures = rateLimiter(db, clock, options.failedAuthLimit ?? FAILED_AUTH_LIMIT);
  const log = options.log ?? console.error;
  return async (c, next) => {
    const subject = addressSubject(options.clientAddress?.(c));
    const secret = /^Bearer\s+(\S+)$/i.exec(c.req.header("Authorization") ?? "")?.[1];
    const [blocked, token] = await Promise.all([failures.check(subject), secret ? authenticate(db, secret) : null]);
    if (blocked.limited) return tooManyFailures(c, blocked);
    if (!secret) {
      return problem(
        c,
        "unauthorized",
        "Send an API token as `Authorization: Bearer <token>` (create one with `herald token create`).",
      );
    }
    if (!token) {
      const counted = await failures.hit(subject);
      if (counted.limited) return tooManyFailures(c, counted);
      return problem(c, "unauthorized", "This API token is not valid or has been revoked.");
    }
    c.set("actor", token.actor);
    // Runs alongside the request; only a token not seen for a minute writes at all.
    let joined: Promise<unknown> | undefined;
    if (tokenUseIsStale(token.lastUsedAt, clock.now())) {
      const recording = recordTokenUse({ db, clock }, token.actor.id).catch(log);
      if (!handedToRuntime(c, recording)) joined = recording;
    }
    await next();
    await joined;
  };
}

/**
 * On Workers the write finishes after the response (`waitUntil`). Elsewhere it is joined before the
 * response is sent: a sub-millisecond local write, once a minute per token, so a caller that reads
 * `last_used_at` next sees it.
 */
function handedToRuntime(c: Context, work: Promise<unknown>): boolean {
  try {
    c.executionCtx.waitUntil(work);
    return true;
  } catch {
    return false; // no ExecutionContext outside Workers
  }
}

function tooManyFailures(c: Context, limit: RateLimitResult): Response {
  const response = problem(
    c,
    "rate_limited",
    `Too many requests with a wrong API token from this address; try again in ${limit.retryAfterSeconds} s.`,
  );
  response.headers.set("Retry-After", String(limit.retryAfterSeconds));
  return response;
}
