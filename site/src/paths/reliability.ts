// Static build only (HERALD_STATIC_BUILD=1): the reliability page exists only while the page publishes it.
import type { GetStaticPaths } from "astro";
import { page } from "../../../db/schema.ts";

export const getStaticPaths = (async () => {
  const { envDb } = await import("../lib/env-data.ts");
  const [row] = await envDb().select({ on: page.publicReliability }).from(page).limit(1);
  return row?.on ? [{ params: { rest: undefined } }] : [];
}) satisfies GetStaticPaths;
