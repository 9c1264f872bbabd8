import { eq } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { page } from "../../db/schema.ts";
import type { Clock } from "../actions/clock.ts";
import { jobInsert, outboxJob } from "../changes/outbox.ts";
import { defaultChecklistInsert } from "../inventory/checklist-defaults.ts";
import { newId } from "../model/ids.ts";
import type { PageRow } from "../model/rows.ts";

/** What every process says about a database that has no page yet (the Worker's 503 names the same command). */
export const NOT_INITIALIZED =
  "This database is not set up yet: run `herald init` (with DATABASE_URL pointing at it) to create the schema, the page and the first admin token.";

export async function getPage(db: Db): Promise<PageRow> {
  const [row] = await db.select().from(page).limit(1);
  if (!row) throw new Error(NOT_INITIALIZED);
  return row;
}

/** Whether the database has a page (its schema may not even exist yet: then it has none). */
export async function hasPage(db: Db): Promise<boolean> {
  try {
    const [row] = await db.select({ id: page.id }).from(page).limit(1);
    return row !== undefined;
  } catch (error) {
    if (/no such table/i.test(String((error as { cause?: unknown }).cause ?? error))) return false;
    throw error;
  }
}

const trimUrl = (url: string) => url.replace(/\/+$/, "");

/**
 * Creates the page on first start. With `keepUrl` false (PUBLIC_URL is set) the public URL is kept in step
 * with it; otherwise the URL set in the page settings stays. `apiUrl` (PUBLIC_API_URL), when given, is kept
 * in step likewise; undefined leaves the page's API address as it is.
 */
export async function ensurePage(
  db: Db,
  clock: Clock,
  settings: { name: string; url: string; keepUrl?: boolean | undefined; apiUrl?: string | undefined },
): Promise<{ page: PageRow; created: boolean }> {
  const url = trimUrl(settings.url);
  const apiUrl = settings.apiUrl === undefined ? undefined : trimUrl(settings.apiUrl);
  const [existing] = await db.select().from(page).limit(1);
  const now = clock.now().toISOString();
  if (!existing) {
    await db.batch([
      db
        .insert(page)
        .values({ id: newId(), name: settings.name, url, apiUrl: apiUrl ?? null, createdAt: now, updatedAt: now }),
      defaultChecklistInsert(db, now),
    ]);
    return { page: await getPage(db), created: true };
  }
  const set: Partial<PageRow> = {};
  if (existing.url !== url && !settings.keepUrl) set.url = url;
  if (apiUrl !== undefined && existing.apiUrl !== apiUrl) set.apiUrl = apiUrl;
  if (Object.keys(set).length > 0) {
    // Every page links with the public URL (and the subscribe form with the API's): a full render.
    await db.batch([
      db
        .update(page)
        .set({ ...set, updatedAt: now })
        .where(eq(page.id, existing.id)),
      jobInsert(db, outboxJob("render", { full: true }), now),
    ]);
    return { page: { ...existing, ...set, updatedAt: now }, created: false };
  }
  return { page: existing, created: false };
}
