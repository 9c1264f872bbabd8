import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { InArgs } from "@libsql/client";
import { createDb, type Db } from "../../db/client.ts";
import { migrateDb } from "../../server/migrate.ts";
import { type HeraldWorker, startHeraldWorker } from "./herald-worker.ts";
import { type Sqld, startSqld } from "./sqld.ts";

/*
 * One real sqld and one real workerd Worker (test/edge/test-worker.ts) per test file, started on first use and
 * stopped after the file (test/helpers/workerd-setup.ts); each test gets the migrated database back as it was.
 */

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const MIGRATIONS_TABLE = "__drizzle_migrations";

type Worker = HeraldWorker;
type Rows = { table: string; columns: string[]; values: InArgs[] }[];

export type WorkerdRuntime = {
  /** The Worker's address, without a trailing slash. */
  base: string;
  /** The sqld URL: a Node client on it reads and writes what the Worker does. */
  databaseUrl: string;
  /** Every row but the migrations' back to what migrating left (the database of a new test). */
  reset(): Promise<void>;
};

let started: Promise<WorkerdRuntime & { stop(): Promise<void> }> | null = null;

/** The file's runtime, started on first call. */
export function workerdRuntime(): Promise<WorkerdRuntime> {
  started ??= start();
  return started;
}

export async function stopWorkerdRuntime(): Promise<void> {
  const runtime = await started?.catch(() => null);
  started = null;
  await runtime?.stop();
}

async function start() {
  const dataDir = await mkdtemp(join(tmpdir(), "herald-workerd-"));
  let sqld: Sqld | null = null;
  let worker: Worker | null = null;
  let db: Db | null = null;
  const stop = async () => {
    db?.$client.close();
    await worker?.dispose();
    await sqld?.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    sqld = await startSqld(dataDir);
    db = createDb({ url: sqld.url });
    await migrateDb(db, join(ROOT, "db/migrations"));
    const migrated = await snapshot(db);
    worker = await startHeraldWorker(sqld.url, join(dataDir, "wrangler-state"), {
      entrypoint: join(ROOT, "test/edge/test-worker.ts"),
    });
    const base = worker.url;
    const client = db;
    return { base, databaseUrl: sqld.url, reset: () => restore(client, migrated), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * A second database for a test that holds two at once (an export imported elsewhere): its own migrated sqld,
 * which the file's Worker writes to for requests that name it (`DATABASE_URL` in `x-herald-test-env`).
 */
export async function startExtraDatabase(): Promise<{ url: string; stop(): Promise<void> }> {
  const dataDir = await mkdtemp(join(tmpdir(), "herald-workerd-extra-"));
  const sqld = await startSqld(dataDir).catch(async (error: unknown) => {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  });
  const db = createDb({ url: sqld.url });
  try {
    await migrateDb(db, join(ROOT, "db/migrations"));
  } finally {
    db.$client.close();
  }
  return {
    url: sqld.url,
    async stop() {
      await sqld.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function tableNames(db: Db): Promise<string[]> {
  const result = await db.$client.execute(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
  );
  return result.rows.map((row) => String(row.name)).filter((name) => name !== MIGRATIONS_TABLE);
}

async function snapshot(db: Db): Promise<Rows> {
  const rows: Rows = [];
  for (const table of await tableNames(db)) {
    const result = await db.$client.execute(`SELECT * FROM "${table}"`);
    rows.push({
      table,
      columns: result.columns,
      values: result.rows.map((row) => result.columns.map((c) => row[c] ?? null)),
    });
  }
  return rows;
}

async function restore(db: Db, migrated: Rows): Promise<void> {
  const tables = await tableNames(db);
  const hasSequence = (
    await db.$client.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'")
  ).rows.length;
  await db.$client.batch(
    [
      // Foreign keys are checked at commit, when every table is back to a consistent state.
      "PRAGMA defer_foreign_keys = ON",
      ...tables.map((table) => `DELETE FROM "${table}"`),
      ...(hasSequence ? ["DELETE FROM sqlite_sequence"] : []),
      ...migrated.flatMap(({ table, columns, values }) =>
        values.map((args) => ({
          sql: `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`,
          args,
        })),
      ),
    ],
    "write",
  );
}
