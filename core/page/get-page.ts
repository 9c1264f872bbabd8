import { eq } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { page } from "../../db/schema.ts";
import type { Clock } from "../actions/clock.ts";
import { jobInsert, outboxJob } from "../changes/outbox.ts";
import { newId } from "../model/ids.ts";
import type { PageRow } from "../model/rows.ts";

export async function getPage(db: Db): Promise<PageRow> {
  const [row] = await db.select().from(page).limit(1);
  if (!row) throw new Error("The page is not set up yet: start Herald once (npm start) or run `herald migrate`.");
  return row;
}

/**
 * Creates the page on first start. With `keepUrl` false (PUBLIC_URL is set) the public URL is kept in step
 * with it; otherwise the URL set in the page settings stays.
 */
export async function ensurePage(
  db: Db,
  clock: Clock,
  settings: { name: string; url: string; keepUrl?: boolean | undefined },
): Promise<{ page: PageRow; created: boolean }> {
  const url = settings.url.replace(/\/+$/, "");
  const [existing] = await db.select().from(page).limit(1);
  const now = clock.now().toISOString();
  if (!existing) {
    await db.insert(page).values({ id: newId(), name: settings.name, url, createdAt: now, updatedAt: now });
    return { page: await getPage(db), created: true };
  }
  if (existing.url !== url && !settings.keepUrl) {
    // Every page links with the public URL: its render job re-renders them all.
    await db.batch([
      db.update(page).set({ url, updatedAt: now }).where(eq(page.id, existing.id)),
      jobInsert(db, outboxJob("render", { full: true }), now),
    ]);
    return { page: { ...existing, url, updatedAt: now }, created: false };
  }
  return { page: existing, created: false };
}
