import type { APIRoute } from "astro";

/** Maintenance windows as an iCalendar feed (RFC 5545) that calendar apps can subscribe to. */
export const GET: APIRoute = async ({ locals }) =>
  new Response(await locals.site.maintenanceCalendar(), {
    headers: { "Content-Type": "text/calendar; charset=utf-8" },
  });
