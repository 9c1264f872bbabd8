import type { ExecutionContext } from "hono";
import { systemClock } from "../core/clock.ts";
import { createDb } from "../db/client.ts";
import { createApp } from "./app.ts";

/** Bindings set in wrangler.toml / `wrangler secret put`. */
export type Env = { DATABASE_URL: string; DATABASE_AUTH_TOKEN?: string };

let cached: { url: string; app: ReturnType<typeof createApp> } | null = null;

function appFor(env: Env) {
  if (!env.DATABASE_URL) throw new Error("DATABASE_URL is not set: point it at your Turso/libSQL database.");
  if (cached?.url !== env.DATABASE_URL) {
    const db = createDb({ url: env.DATABASE_URL, authToken: env.DATABASE_AUTH_TOKEN });
    cached = { url: env.DATABASE_URL, app: createApp({ db, clock: systemClock }) };
  }
  return cached.app;
}

/**
 * The Cloudflare Workers entry: the same Hono app, writing changes and their outbox jobs to libSQL.
 * It never renders or sends mail; a Node job runner pointed at the same database does that.
 */
export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext): Response | Promise<Response> {
    return appFor(env).fetch(request, env, ctx);
  },
};
