import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { type ActionContext, PUBLIC_ACTOR } from "../../core/actions/context.ts";
import { addressSubject, type RateLimitRule, rateLimiter } from "../../core/actions/rate-limit.ts";
import { genericPayload } from "../../core/alerts/sources/generic.ts";
import {
  type DeliveryResult,
  intakeAnswerSchema,
  receiveDelivery,
  refuseUnread,
} from "../../core/alerts/sources/receive.ts";
import { refusal } from "../../core/alerts/sources/refusal.ts";
import { authenticate } from "../../core/tokens/authenticate.ts";
import { recordTokenUse, tokenUseIsStale } from "../../core/tokens/record-token-use.ts";
import type { AdminRoute, AppDeps } from "../admin-route.ts";
import { FAILED_AUTH_LIMIT } from "../middleware/auth.ts";
import { problem } from "../problem.ts";

/** A delivery's largest body: Alertmanager's fullest groups stay well below it. */
export const MAX_INTAKE_BYTES = 256 * 1024;

/** Per source: 120 deliveries in 10 s is far beyond any sender's retry pace, and bounds a runaway one. */
export const INTAKE_LIMIT: RateLimitRule = { name: "intake", limit: 120, windowMs: 10_000 };

/**
 * `POST /api/intake/{source}` (and `GET`, for heartbeats): the source's own token, the raw body (PagerDuty
 * signs the bytes), the headers `Idempotency-Key` and `X-PagerDuty-Signature`; everything else is
 * `receiveDelivery` (core/alerts/sources/receive.ts). Outside the admin routes: it needs the raw body, and
 * it logs every refusal, including an oversized body and a wrong token, in the intake log.
 */
export function intakeRoutes(deps: AppDeps & { log?: ((error: unknown) => void) | undefined }): Hono {
  const app = new Hono();
  const failures = rateLimiter(deps.db, deps.clock, FAILED_AUTH_LIMIT);
  const limiter = rateLimiter(deps.db, deps.clock, INTAKE_LIMIT);
  const context = (actor: ActionContext["actor"]): ActionContext => ({
    db: deps.db,
    clock: deps.clock,
    actor,
    onCommit: deps.onCommit,
    settings: deps.settings,
  });
  const sizeLimit = bodyLimit({
    maxSize: MAX_INTAKE_BYTES,
    onError: async (c) => {
      c.header("Connection", "close");
      const refused = refusal(
        "too_large",
        `A delivery is limited to ${MAX_INTAKE_BYTES / 1024} KiB; nothing was stored.`,
      );
      return answer(c, await refuseUnread(context(PUBLIC_ACTOR), c.req.param("source") ?? "", refused));
    },
  });
  const inTurn = deps.serializeIntake ? takingTurns() : <T>(work: () => Promise<T>) => work();
  app.on(["GET", "POST"], "/api/intake/:source", sizeLimit, async (c) => {
    const subject = addressSubject(deps.clientAddress?.(c));
    const secret = /^Bearer\s+(\S+)$/i.exec(c.req.header("Authorization") ?? "")?.[1];
    const [blocked, token] = await Promise.all([
      failures.check(subject),
      secret ? authenticate(deps.db, secret) : null,
    ]);
    if (blocked.limited) return tooManyWrongTokens(c, blocked.retryAfterSeconds);
    if (!token) {
      const counted = await failures.hit(subject);
      if (counted.limited) return tooManyWrongTokens(c, counted.retryAfterSeconds);
    } else if (tokenUseIsStale(token.lastUsedAt, deps.clock.now())) {
      await recordTokenUse(deps, token.actor.id).catch(deps.log ?? console.error);
    }
    const delivery = {
      sourceId: c.req.param("source"),
      method: c.req.method === "GET" ? ("GET" as const) : ("POST" as const),
      body: new Uint8Array(await c.req.arrayBuffer()),
      tokenSent: secret !== undefined,
      signature: c.req.header("X-PagerDuty-Signature"),
      idempotencyKey: c.req.header("Idempotency-Key"),
    };
    const actor = token?.actor ?? PUBLIC_ACTOR;
    return answer(c, await inTurn(() => receiveDelivery(context(actor), limiter, delivery)));
  });
  return app;
}

/** Runs the work handed to it one after another, in the order handed. */
function takingTurns(): <T>(work: () => Promise<T>) => Promise<T> {
  let last: Promise<unknown> = Promise.resolve();
  return (work) => {
    const turn = last.then(work, work);
    last = turn.catch(() => undefined);
    return turn;
  };
}

function answer(c: Context, result: DeliveryResult): Response {
  c.header("Cache-Control", "no-store");
  if (result.outcome === "accepted") return c.json(result.answer, 202);
  if (result.outcome === "duplicate") return c.json(result.answer, 200);
  const response = problem(c, result.kind, result.detail, result.fieldErrors);
  if (result.retryAfterSeconds !== undefined) response.headers.set("Retry-After", String(result.retryAfterSeconds));
  return response;
}

function tooManyWrongTokens(c: Context, seconds: number): Response {
  const response = problem(
    c,
    "rate_limited",
    `Too many requests with a wrong token from this address; try again in ${seconds} s.`,
  );
  response.headers.set("Retry-After", String(seconds));
  return response;
}

const notRegistered = async (): Promise<never> => {
  throw new Error("the intake is served by intakeRoutes, not as an admin route");
};

const intakeProblems = {
  "400": "the body is not JSON",
  "401": "no token, a revoked one, or (PagerDuty) a bad `X-PagerDuty-Signature`",
  "403": "another source's token, or not an alert source's token",
  "404": "no such source",
  "413": `the body is over ${MAX_INTAKE_BYTES / 1024} KiB`,
  "422": "not a payload of the source's kind; `errors` names the fields",
  "429": "the source's rate limit (120 deliveries in 10 s); retry after `Retry-After` seconds",
};

/** The intake as the OpenAPI document describes it (the body documented is the generic format). */
export const INTAKE_ROUTE_DOCS: AdminRoute[] = [
  {
    method: "post",
    path: "/api/intake/{source}",
    summary:
      "Deliver alerts: Alertmanager (webhook v4), Grafana (webhook contact point), PagerDuty (v3 webhook, signed), the generic format below, or a heartbeat's ping",
    role: "automation",
    tag: "alerts",
    body: genericPayload,
    response: intakeAnswerSchema,
    successStatus: 202,
    problems: intakeProblems,
    responseDescription:
      "accepted: the alerts are stored and the rules will look at them; 200 with `duplicate: true` for a repeated `Idempotency-Key` (or PagerDuty event id), which changes nothing",
    handle: notRegistered,
  },
  {
    method: "get",
    path: "/api/intake/{source}",
    summary: "A heartbeat's ping (no body): the heartbeat is alive; a missing ping for its period raises its alert",
    role: "automation",
    tag: "alerts",
    response: intakeAnswerSchema,
    successStatus: 202,
    problems: intakeProblems,
    responseDescription: "the ping is recorded",
    handle: notRegistered,
  },
];
