import { defineMiddleware } from "astro:middleware";

/**
 * Pages read everything through `locals.site`. jobs/render sets it for each render; when nothing did
 * (the static build, `astro dev`), it comes from the database at DATABASE_URL. The import is lazy so
 * the renderer never loads a second database client.
 */
export const onRequest = defineMiddleware(async (context, next) => {
  if (!context.locals.site) {
    const { envSiteData } = await import("./lib/env-data.ts");
    context.locals.site = envSiteData();
  }
  return next();
});
