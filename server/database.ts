import { mkdir } from "node:fs/promises";
import { createDb, type Db, prepareLocalDb } from "../db/client.ts";
import type { NodeConfig } from "./config.ts";
import { migrateDb } from "./migrate.ts";
import { MIGRATIONS_DIR } from "./paths.ts";

type DatabaseConfig = Pick<NodeConfig, "databaseUrl" | "databaseAuthToken" | "dataDir">;

/** Connects to the database as it is (a local file is created, its folder too), without migrating. */
export async function connectDatabase(config: DatabaseConfig): Promise<Db> {
  if (config.databaseUrl.startsWith("file:")) await mkdir(config.dataDir, { recursive: true });
  const db = createDb({ url: config.databaseUrl, authToken: config.databaseAuthToken });
  await prepareLocalDb(db, config.databaseUrl);
  return db;
}

/** Brings the schema up to date. */
export async function migrateDatabase(db: Db): Promise<void> {
  await migrateDb(db, MIGRATIONS_DIR);
}

/** Opens the database and brings its schema up to date. */
export async function openDatabase(config: DatabaseConfig): Promise<Db> {
  const db = await connectDatabase(config);
  await migrateDatabase(db);
  return db;
}
