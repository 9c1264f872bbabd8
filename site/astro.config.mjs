import { defineConfig, passthroughImageService } from "astro/config";
import heraldAdapter from "./adapter/index.mjs";

// Pages are rendered on demand by jobs/render (content render), never prerendered: see render-notes.md.
export default defineConfig({
  output: "server",
  adapter: heraldAdapter(),
  // Routes are directories: /incidents/abc/ is written to incidents/abc/index.html.
  trailingSlash: "always",
  build: {
    format: "directory",
    // Keep CSS in one hashed /_astro/*.css file (cached across pages) instead of inlining it.
    inlineStylesheets: "never",
  },
  // No sharp: the adapter does not support it and the site has no raster images.
  image: { service: passthroughImageService() },
  // Bundle Astro's runtime into dist/server so the renderer module is self-contained.
  vite: { ssr: { noExternal: true } },
  devToolbar: { enabled: false },
});
