// Static build only (HERALD_STATIC_BUILD=1): every component and group, with its feeds. The server build ignores it.
import type { GetStaticPaths } from "astro";
import { components } from "../../../db/schema.ts";

export const getStaticPaths = (async () => {
  const { envDb } = await import("../lib/env-data.ts");
  const rows = await envDb().select({ id: components.id }).from(components);
  return rows.map((row) => ({ params: { id: row.id } }));
}) satisfies GetStaticPaths;
