/**
 * Site data straight from the database at DATABASE_URL, for builds where no renderer provides
 * `locals.site`: the static build (HERALD_STATIC_BUILD=1) and `astro dev`. Only the client is
 * memoised; every query runs afresh (no module-level caches of query results).
 */
import { createSiteData, type SiteData } from "../../../core/public/site-views.ts";
import { createDb, type Db } from "../../../db/client.ts";

let db: Db | undefined;

export function envDb(): Db {
  db ??= createDb({
    url: process.env.DATABASE_URL ?? "file:.herald/herald.db",
    authToken: process.env.DATABASE_AUTH_TOKEN,
  });
  return db;
}

export function envSiteData(): SiteData {
  return createSiteData(envDb());
}
