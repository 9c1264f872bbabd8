// Static build only (HERALD_STATIC_BUILD=1): every incident page. The server build ignores it.
import type { GetStaticPaths } from "astro";
import { incidents } from "../../../db/schema.ts";

export const getStaticPaths = (async () => {
  const { envDb } = await import("../lib/env-data.ts");
  const rows = await envDb().select({ id: incidents.id }).from(incidents);
  return rows.map((row) => ({ params: { id: row.id } }));
}) satisfies GetStaticPaths;
