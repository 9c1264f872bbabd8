import { mkdir } from "node:fs/promises";
import { createDb, type Db, prepareLocalDb } from "../db/client.ts";
import type { NodeConfig } from "./config.ts";
import { migrateDb } from "./migrate.ts";
import { MIGRATIONS_DIR } from "./paths.ts";

/** Opens the database and brings its schema up to date. */
export async function openDatabase(config: NodeConfig): Promise<Db> {
  if (config.databaseUrl.startsWith("file:")) await mkdir(config.dataDir, { recursive: true });
  const db = createDb({ url: config.databaseUrl, authToken: config.databaseAuthToken });
  await prepareLocalDb(db, config.databaseUrl);
  await migrateDb(db, MIGRATIONS_DIR);
  return db;
}
