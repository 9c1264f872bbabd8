import { feedEndpoint } from "../lib/feeds.ts";

export const GET = feedEndpoint("atom");
