import type { ExecutionContext } from "hono";
import { createApp } from "../api/app.ts";
import { type Clock, systemClock } from "../core/actions/clock.ts";
import { SYSTEM_ACTOR } from "../core/actions/context.ts";
import { run } from "../core/actions/run.ts";
import { startNewDay } from "../core/page/start-new-day.ts";
import { oidcConfigFromEnv } from "../core/people/sso/config.ts";
import { settingsFromEnv } from "../core/scheduler/settings.ts";
import { tick } from "../core/scheduler/tick.ts";
import { createLibsqlClient, dbOver } from "../db/client.ts";
import { requestScopedClient, withBodyInScope, withRequestClient } from "./request-client.ts";
import { workerReadiness } from "./worker-readiness.ts";
import { secretGate, secretProblem } from "./worker-secret.ts";

/** Bindings set in wrangler.toml / `wrangler secret put`. */
export type Env = {
  DATABASE_URL: string;
  DATABASE_AUTH_TOKEN?: string;
  HERALD_SECRET?: string;
  HERALD_TEAM_EMAIL?: string;
  HERALD_DEFAULT_CADENCE_MINUTES?: string;
  /** `1`: webhooks may point at private addresses and any port (a lab); the Worker only checks them at creation. */
  HERALD_ALLOW_PRIVATE_WEBHOOKS?: string;
  /** The mail provider's webhook signing secret (`whsec_…`): bounce and complaint reports are verified with it. */
  RESEND_WEBHOOK_SECRET?: string;
  /** Single sign-on (docs/team.md): the OpenID provider's issuer URL and Herald's client there. */
  OIDC_ISSUER?: string;
  OIDC_CLIENT_ID?: string;
  OIDC_CLIENT_SECRET?: string;
};

export type WorkerOptions = {
  /** What "now" is; the system clock unless a test sets it. */
  clock?: Clock;
};

function clientFor(env: Env) {
  if (!env.DATABASE_URL) throw new Error("DATABASE_URL is not set: point it at your Turso/libSQL database.");
  return createLibsqlClient({ url: env.DATABASE_URL, authToken: env.DATABASE_AUTH_TOKEN });
}

/**
 * The Cloudflare Workers entry: the same Hono app, writing changes and their outbox jobs to libSQL.
 * It never renders or sends mail; a Node job runner pointed at the same database does that.
 * The app is built once per isolate (and per configuration); each request and each cron run gets its own
 * database client (server/request-client.ts says why).
 */
export function createWorker(options: WorkerOptions = {}) {
  const clock = options.clock ?? systemClock;
  const db = dbOver(requestScopedClient);
  let built: { key: string; app: ReturnType<typeof createApp> } | null = null;
  const gate = secretGate();

  function appFor(env: Env) {
    const key = JSON.stringify([
      env.HERALD_SECRET,
      env.HERALD_TEAM_EMAIL,
      env.HERALD_DEFAULT_CADENCE_MINUTES,
      env.RESEND_WEBHOOK_SECRET,
      env.OIDC_ISSUER,
      env.OIDC_CLIENT_ID,
      env.OIDC_CLIENT_SECRET,
    ]);
    if (built?.key !== key) {
      const app = createApp({
        db,
        clock,
        clientAddress: (c) => c.req.header("CF-Connecting-IP"),
        linkSecret: env.HERALD_SECRET,
        settings: settingsFromEnv(env),
        sso: oidcConfigFromEnv(env),
        readiness: workerReadiness(db),
      });
      built = { key, app };
    }
    return built.app;
  }

  return {
    fetch(request: Request, env: Env, ctx: ExecutionContext): Response | Promise<Response> {
      const app = appFor(env);
      return withRequestClient(clientFor(env), request, async () => {
        const refusal = await gate.refusal(db, env.HERALD_SECRET);
        return refusal ? secretProblem(request, refusal) : withBodyInScope(await app.fetch(request, env, ctx));
      });
    },
    /**
     * The cron trigger in wrangler.toml (every minute): the scheduler's tick and the new-day check (idempotent).
     * On a database not set up yet there is nothing to schedule: one line says which command sets it up.
     */
    async scheduled(_controller: unknown, env: Env): Promise<void> {
      const ctx = { db, clock, actor: SYSTEM_ACTOR, settings: settingsFromEnv(env) };
      await withRequestClient(clientFor(env), null, async () => {
        const { state } = await workerReadiness(db)();
        if (state !== "ready") {
          const command = state === "uninitialized" ? "herald init" : "herald migrate";
          console.warn(`herald: the scheduler did not run: the database is ${state}; run \`${command}\` on it.`);
          return;
        }
        const refusal = await gate.refusal(db, env.HERALD_SECRET);
        if (refusal) throw new Error(refusal);
        await tick(ctx);
        await run(ctx, startNewDay, {});
      });
    },
  };
}

export default createWorker();
