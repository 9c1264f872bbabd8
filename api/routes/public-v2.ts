import { Hono } from "hono";
import { cors } from "hono/cors";
import { liveReads } from "../../core/public/reads.ts";
import { buildV2Document, serializeV2, V2_DOCUMENTS } from "../../core/public/statuspage.ts";
import type { Db } from "../../db/client.ts";
import { problem } from "../problem.ts";

/** The public Statuspage v2 API, live from the database: the same bytes the static site serves. */
export function publicV2Routes(db: Db): Hono {
  const app = new Hono();
  app.use("*", cors({ origin: "*", allowMethods: ["GET", "HEAD", "OPTIONS"] }));
  for (const name of V2_DOCUMENTS) {
    app.get(`/${name}`, async (c) => {
      const body = serializeV2(await buildV2Document(liveReads(db), name));
      return c.body(body, 200, {
        "Content-Type": "application/json; charset=utf-8",
        "Cache-Control": "public, max-age=10, must-revalidate",
      });
    });
  }
  app.all("*", (c) => problem(c, "not_found", `There is no public document at ${c.req.path}.`));
  return app;
}

export const PUBLIC_V2_PATHS = V2_DOCUMENTS.map((name) => `/api/v2/${name}`);
