/** The Astro app: the site's server build, imported once and asked for each route, without Vite. */
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { SiteData } from "../../core/public/site-views.ts";

export type Locals = { site: SiteData };
export type SiteApp = { render(request: Request, options: { locals: Locals }): Promise<Response> };

/** Requests need an origin; pages build their public links from the page's URL, never from this. */
const ORIGIN = "http://herald.invalid";

/** Asks the app for one route's page. */
export function renderPage(app: SiteApp, route: string, locals: Locals): Promise<Response> {
  return app.render(new Request(new URL(route, ORIGIN)), { locals });
}

export async function loadApp(siteDist: string): Promise<SiteApp> {
  const entry = path.join(siteDist, "server", "entry.mjs");
  let module: unknown;
  try {
    module = await import(pathToFileURL(entry).href);
  } catch (error) {
    throw new Error(`Cannot load the site renderer ${entry}: build it with \`astro build --root site\`.`, {
      cause: error,
    });
  }
  const app = (module as { app?: unknown }).app;
  if (typeof app !== "object" || app === null || typeof (app as { render?: unknown }).render !== "function") {
    throw new Error(`${entry} does not export an Astro app: is site/adapter the build's adapter?`);
  }
  return app as SiteApp;
}
