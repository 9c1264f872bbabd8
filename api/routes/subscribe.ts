import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { type RateLimitRule, rateLimiter } from "../../core/actions/rate-limit.ts";
import { paths } from "../../core/public/paths.ts";
import type { AppDeps } from "../admin-route.ts";
import { problem } from "../problem.ts";
import { subscribeFormRoute } from "../subscribe/form-route.ts";
import { signedLinkRoutes } from "../subscribe/link-routes.ts";
import { publicPages } from "../subscribe/public-pages.ts";

/** Subscribe attempts per client address (IPv6 by /64) per hour. */
export const SUBSCRIBE_IP_LIMIT: RateLimitRule = { name: "subscribe-ip", limit: 20, windowMs: 60 * 60 * 1000 };
/** Subscribe attempts per email address per hour: nobody can flood someone's inbox with confirmations. */
export const SUBSCRIBE_ADDRESS_LIMIT: RateLimitRule = { name: "subscribe-address", limit: 3, windowMs: 60 * 60 * 1000 };

export type SubscribeDeps = AppDeps & {
  /** HERALD_SECRET; without it the key generated once and kept in the database signs the links. */
  linkSecret?: string | undefined;
  ipLimit?: RateLimitRule | undefined;
  addressLimit?: RateLimitRule | undefined;
};

/**
 * The public subscribe API and the signed-link pages: no token, CSRF-safe by design (a cross-site post
 * can only create an unconfirmed subscription and send a confirmation; signed links are their own authority).
 */
export function subscribeRoutes(deps: SubscribeDeps): Hono {
  const app = new Hono();
  const pages = publicPages(deps);
  const limiters = {
    ip: rateLimiter(deps.db, deps.clock, deps.ipLimit ?? SUBSCRIBE_IP_LIMIT),
    address: rateLimiter(deps.db, deps.clock, deps.addressLimit ?? SUBSCRIBE_ADDRESS_LIMIT),
  };
  const limitBody = bodyLimit({
    maxSize: 16 * 1024,
    onError: (c) => {
      c.header("Connection", "close");
      return problem(c, "too_large", "Subscribe requests are limited to 16 KiB.");
    },
  });
  // Mounted at the root: a "*" middleware would reach every route of the app, so name the paths.
  app.use(paths.subscribe(), limitBody);
  app.use(`${paths.subscribe()}/*`, limitBody);
  subscribeFormRoute(app, deps, pages, limiters);
  signedLinkRoutes(app, deps, pages);
  return app;
}
