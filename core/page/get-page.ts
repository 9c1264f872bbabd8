import { eq } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { page } from "../../db/schema.ts";
import type { Clock } from "../clock.ts";
import { newId } from "../ids.ts";
import { jobInsert, renderJob } from "../outbox.ts";
import type { PageRow } from "../types.ts";

export async function getPage(db: Db): Promise<PageRow> {
  const [row] = await db.select().from(page).limit(1);
  if (!row) throw new Error("The page is not set up yet: start Herald once (npm start) or run `herald migrate`.");
  return row;
}

/** Creates the page on first start; keeps its public URL in step with PUBLIC_URL. */
export async function ensurePage(
  db: Db,
  clock: Clock,
  settings: { name: string; url: string },
): Promise<{ page: PageRow; created: boolean }> {
  const url = settings.url.replace(/\/+$/, "");
  const [existing] = await db.select().from(page).limit(1);
  const now = clock.now().toISOString();
  if (!existing) {
    const row = { id: newId(), name: settings.name, url, timeZone: "Etc/UTC", createdAt: now, updatedAt: now };
    await db.insert(page).values(row);
    return { page: row, created: true };
  }
  if (existing.url !== url) {
    // Every page links with the public URL: its render job re-renders them all.
    await db.batch([
      db.update(page).set({ url, updatedAt: now }).where(eq(page.id, existing.id)),
      jobInsert(db, renderJob({ full: true }), now),
    ]);
    return { page: { ...existing, url, updatedAt: now }, created: false };
  }
  return { page: existing, created: false };
}
