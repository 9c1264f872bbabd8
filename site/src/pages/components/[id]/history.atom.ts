import { feedEndpoint } from "../../../lib/feeds.ts";

// getStaticPaths for the static build (HERALD_STATIC_BUILD=1); re-exported so the server build does not warn.
export * from "../../../paths/components.ts";
export const GET = feedEndpoint("atom");
