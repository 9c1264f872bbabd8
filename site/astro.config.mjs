import { defineConfig, passthroughImageService } from "astro/config";
import heraldAdapter from "./adapter/index.mjs";

/**
 * Two builds of the same pages:
 * - default: `output: 'server'` with Herald's adapter. jobs/render imports the result once and renders
 *   only the routes a change touches (content render, see render-notes.md). Routes are never prerendered.
 * - `HERALD_STATIC_BUILD=1`: a plain static `astro build` of the database at DATABASE_URL, every route
 *   enumerated by `getStaticPaths`. Used to check that the renderer's output is byte-identical to it.
 */
const STATIC = process.env.HERALD_STATIC_BUILD === "1";

export default defineConfig({
  output: STATIC ? "static" : "server",
  ...(STATIC ? {} : { adapter: heraldAdapter() }),
  // Routes are directories: /incidents/abc/ is written to incidents/abc/index.html.
  trailingSlash: "always",
  build: {
    format: "directory",
    // Keep CSS in one hashed /_astro/*.css file (cached across pages) instead of inlining it.
    inlineStylesheets: "never",
  },
  // No sharp: the adapter does not support it and the site has no raster images.
  image: { service: passthroughImageService() },
  vite: {
    ssr: {
      // Bundle Astro's runtime into dist/server so the renderer module is self-contained; the database
      // client stays external (native bindings): only src/middleware.ts loads it, when nothing else
      // provided the data (static build, `astro dev`).
      noExternal: true,
      external: ["@libsql/client"],
    },
  },
  devToolbar: { enabled: false },
});
