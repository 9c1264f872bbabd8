// Herald's build-only Astro adapter. `astro build` turns the site into a renderer module
// (dist/server/entry.mjs exporting `app`) plus hashed assets (dist/client/). The job runner
// imports that module once and calls `app.render()` per route: no Vite, no HTTP server.
// See /work/shared/render-notes.md and jobs/render/index.ts.

/** @returns {import('astro').AstroIntegration} */
export default function heraldAdapter() {
  return {
    name: "herald-adapter",
    hooks: {
      "astro:config:done": ({ setAdapter }) => {
        setAdapter({
          name: "herald-adapter",
          serverEntrypoint: new URL("./server.mjs", import.meta.url),
          entrypointResolution: "auto",
          adapterFeatures: { buildOutput: "server" },
          supportedAstroFeatures: {
            serverOutput: "stable",
            staticOutput: "stable",
            hybridOutput: "stable",
            sharpImageService: "unsupported",
            envGetSecret: "unsupported",
            i18nDomains: "unsupported",
          },
        });
      },
    },
  };
}
