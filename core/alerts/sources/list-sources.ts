import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../../db/client.ts";
import { alertSources, apiTokens } from "../../../db/schema.ts";
import { defineQuery } from "../../actions/define.ts";
import { notFound } from "../../actions/errors.ts";
import { type AlertSourceRow, type AlertSourceView, alertSourceView } from "./schemas.ts";

/** Every alert source, revoked ones included, oldest first (never a token or a signing secret). */
export const listAlertSources = defineQuery({
  name: "alert_source.list",
  role: "viewer",
  doing: "list alert sources",
  input: z.object({}),
  async read(ctx): Promise<AlertSourceView[]> {
    const rows = await ctx.db
      .select({ source: alertSources, lastUsedAt: apiTokens.lastUsedAt })
      .from(alertSources)
      .leftJoin(apiTokens, eq(apiTokens.id, alertSources.tokenId))
      .orderBy(asc(alertSources.createdAt), asc(alertSources.id));
    return rows.map(({ source, lastUsedAt }) => alertSourceView(source, { lastUsedAt }));
  },
});

/** One source, or the 404 naming where to look. */
export async function getAlertSource(db: Db, id: string): Promise<AlertSourceRow> {
  const [row] = await db.select().from(alertSources).where(eq(alertSources.id, id));
  if (!row)
    throw notFound(`There is no alert source "${id}" (see GET /api/alert-sources or \`herald alert-source list\`).`);
  return row;
}
