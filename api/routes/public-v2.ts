import { sql } from "drizzle-orm";
import { Hono } from "hono";
import { cors } from "hono/cors";
import { V2_DOCUMENTS, type V2DocumentName } from "../../core/public/paths.ts";
import { liveReads } from "../../core/public/reads.ts";
import { buildV2Document, serializeV2 } from "../../core/public/statuspage.ts";
import type { Db } from "../../db/client.ts";
import { auditLog, page } from "../../db/schema.ts";
import { problem } from "../problem.ts";

/**
 * The public Statuspage v2 API, live from the database: the same bytes the static site serves. (On
 * Node the server answers these from the rendered files; this is what Workers, and Node before its
 * first render, serve.) Each document is kept until the page changes.
 */
export function publicV2Routes(db: Db): Hono {
  const app = new Hono();
  const cache = new Map<V2DocumentName, { version: string; body: string }>();
  app.use("*", cors({ origin: "*", allowMethods: ["GET", "HEAD", "OPTIONS"] }));
  for (const name of V2_DOCUMENTS) {
    app.get(`/${name}`, async (c) => {
      const version = await pageVersion(db);
      let hit = cache.get(name);
      if (hit?.version !== version) {
        hit = { version, body: serializeV2(await buildV2Document(liveReads(db), name)) };
        cache.set(name, hit);
      }
      return c.body(hit.body, 200, {
        "Content-Type": "application/json; charset=utf-8",
        "Cache-Control": "public, max-age=10, must-revalidate",
      });
    });
  }
  app.all("*", (c) => problem(c, "not_found", `There is no public document at ${c.req.path}.`));
  return app;
}

/**
 * What the public documents were built from, in one cheap read: the page's `updated_at` (bumped by
 * every public change) and the newest audit row (every change writes one), since two changes can
 * share a millisecond.
 */
async function pageVersion(db: Db): Promise<string> {
  const [row] = await db
    .select({
      updatedAt: page.updatedAt,
      lastChange: sql<number | null>`(select max(rowid) from ${auditLog})`,
    })
    .from(page)
    .limit(1);
  return row ? `${row.updatedAt} ${row.lastChange ?? 0}` : "";
}

export const PUBLIC_V2_PATHS = V2_DOCUMENTS.map((name) => `/api/v2/${name}`);
