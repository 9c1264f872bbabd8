import type { APIRoute } from "astro";
import type { V2DocumentName } from "../../../core/public/paths.ts";

/** A Statuspage v2 document, byte for byte what the live API serves (docs/api.md, "Statuspage v2 endpoints"). */
export function v2Endpoint(name: V2DocumentName): APIRoute {
  return async ({ locals }) =>
    new Response(await locals.site.v2(name), {
      headers: { "Content-Type": "application/json; charset=utf-8" },
    });
}
