// Static build only (HERALD_STATIC_BUILD=1): every history month. The server build ignores it.
import type { GetStaticPaths } from "astro";

export const getStaticPaths = (async () => {
  const { envSiteData } = await import("../lib/env-data.ts");
  const { months } = await envSiteData().historyIndex();
  return months.map((m) => ({ params: { month: m.month } }));
}) satisfies GetStaticPaths;
