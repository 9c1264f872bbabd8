import type { ExecutionContext } from "hono";
import { createApp } from "../api/app.ts";
import { systemClock } from "../core/actions/clock.ts";
import { SYSTEM_ACTOR } from "../core/actions/context.ts";
import { run } from "../core/actions/run.ts";
import { startNewDay } from "../core/page/start-new-day.ts";
import { settingsFromEnv } from "../core/scheduler/settings.ts";
import { tick } from "../core/scheduler/tick.ts";
import { createDb, type Db } from "../db/client.ts";

/** Bindings set in wrangler.toml / `wrangler secret put`. */
export type Env = {
  DATABASE_URL: string;
  DATABASE_AUTH_TOKEN?: string;
  HERALD_SECRET?: string;
  HERALD_TEAM_EMAIL?: string;
  HERALD_DEFAULT_CADENCE_MINUTES?: string;
  /** `1`: webhooks may point at private addresses and any port (a lab); the Worker only checks them at creation. */
  HERALD_ALLOW_PRIVATE_WEBHOOKS?: string;
};

let cached: { url: string; db: Db; app: ReturnType<typeof createApp> } | null = null;

function forEnv(env: Env) {
  if (!env.DATABASE_URL) throw new Error("DATABASE_URL is not set: point it at your Turso/libSQL database.");
  if (cached?.url !== env.DATABASE_URL) {
    const db = createDb({ url: env.DATABASE_URL, authToken: env.DATABASE_AUTH_TOKEN });
    cached = {
      url: env.DATABASE_URL,
      db,
      app: createApp({
        db,
        clock: systemClock,
        clientAddress: (c) => c.req.header("CF-Connecting-IP"),
        linkSecret: env.HERALD_SECRET,
        settings: settingsFromEnv(env),
      }),
    };
  }
  return cached;
}

/**
 * The Cloudflare Workers entry: the same Hono app, writing changes and their outbox jobs to libSQL.
 * It never renders or sends mail; a Node job runner pointed at the same database does that.
 */
export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext): Response | Promise<Response> {
    return forEnv(env).app.fetch(request, env, ctx);
  },
  /** The cron trigger in wrangler.toml (every minute): the scheduler's tick and the new-day check (idempotent). */
  async scheduled(_controller: unknown, env: Env): Promise<void> {
    const ctx = { db: forEnv(env).db, clock: systemClock, actor: SYSTEM_ACTOR, settings: settingsFromEnv(env) };
    await tick(ctx);
    await run(ctx, startNewDay, {});
  },
};
