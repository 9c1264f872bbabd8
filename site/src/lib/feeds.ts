import type { APIRoute } from "astro";
import type { FeedFormat } from "../../../core/public/site-views.ts";

const TYPES: Record<FeedFormat, string> = {
  rss: "application/rss+xml; charset=utf-8",
  atom: "application/atom+xml; charset=utf-8",
};

/** The page's history feed, or a component's (`/components/<id>/history.*`; 404 for an unknown id). */
export function feedEndpoint(format: FeedFormat): APIRoute {
  return async ({ locals, params }) => {
    const body = await locals.site.feed(format, params.id);
    if (body === null) return new Response(null, { status: 404, statusText: "Not Found" });
    return new Response(body, { headers: { "Content-Type": TYPES[format] } });
  };
}
