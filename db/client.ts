import { type Client, createClient } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import { retryingWhileBusy } from "./availability.ts";
import * as schema from "./schema.ts";

export type DbConfig = {
  url: string;
  authToken?: string | undefined;
};

export function createDb(config: DbConfig) {
  return dbOver(createLibsqlClient(config));
}

export function createLibsqlClient(config: DbConfig): Client {
  // `timeout` is the busy timeout of every pooled connection: without it concurrent writers get SQLITE_BUSY.
  const client = createClient({ url: config.url, authToken: config.authToken, timeout: 5000 });
  // A remote server has no such wait: it refuses what it can't take at once, and those calls are tried again.
  return config.url.startsWith("file:") ? client : retryingWhileBusy(client);
}

/** Herald's schema over a client that already exists (the Worker's request-scoped one). */
export function dbOver(client: Client) {
  return drizzle(client, { schema });
}

export type Db = ReturnType<typeof createDb>;

/** Settings a local file needs once so that the API, renderer and sender can share it. */
export async function prepareLocalDb(db: Db, url: string): Promise<void> {
  if (!url.startsWith("file:")) return;
  await db.$client.execute("PRAGMA journal_mode=WAL");
  await db.$client.execute("PRAGMA foreign_keys=ON");
}
