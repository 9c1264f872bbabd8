import type { MiddlewareHandler } from "hono";

/** The public documents under /api/ that caches may keep; every other /api/ response is private. */
const PUBLIC_API = /^\/api\/(v2\/|openapi\.json$)/;

/**
 * `Cache-Control: no-store` on every admin API response, errors and a new token's secret included:
 * they are per-token answers no browser, proxy or CDN should keep.
 */
export function adminNoStore(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (!PUBLIC_API.test(c.req.path)) c.res.headers.set("Cache-Control", "no-store");
  };
}
