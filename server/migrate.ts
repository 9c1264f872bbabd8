import { migrate } from "drizzle-orm/libsql/migrator";
import type { Db } from "../db/client.ts";

/** Applies pending drizzle-kit migrations from `folder` (Node only: it reads the folder, so it lives here and not in db/). */
export async function migrateDb(db: Db, folder: string): Promise<void> {
  await migrate(db, { migrationsFolder: folder });
}
