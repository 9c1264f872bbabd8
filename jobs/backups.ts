import { mkdir, mkdtemp, open, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type Client, createClient } from "@libsql/client";
import { migrate } from "drizzle-orm/libsql/migrator";
import type { Clock } from "../core/actions/clock.ts";
import {
  checksumDifferences,
  databaseChecksums,
  snapshotChecksums,
  type TableChecksums,
} from "../core/backups/checksum.ts";
import { parseBackupJson, toBackupJson } from "../core/backups/json-format.ts";
import {
  type BackupFormat,
  type BackupRecord,
  backupsToPrune,
  forgetBackup,
  listBackups,
  recordBackup,
  recordVerification,
} from "../core/backups/records.ts";
import { copyIntoScratch, restoreSnapshot } from "../core/backups/restore.ts";
import { readSnapshot, rowCount, type Snapshot } from "../core/backups/snapshot.ts";
import { newId } from "../core/model/ids.ts";
import { createDb, type Db, prepareLocalDb } from "../db/client.ts";

export type BackupLog = { info(message: string): void; error(message: string): void };

export type BackupDeps = {
  db: Db;
  databaseUrl: string;
  clock: Clock;
  /** db/migrations: a scratch database for verification is migrated like the real one. */
  migrationsDir: string;
  log?: BackupLog | undefined;
};

export type WrittenBackup = { format: BackupFormat; bytes: number; rows: number; tables: TableChecksums };

export const consoleLog: BackupLog = { info: (m) => console.log(m), error: (m) => console.error(m) };
const SQLITE_MAGIC = "SQLite format 3\0";

/** The default: a real SQLite file for a local database, the portable JSON export for any other. */
export function defaultBackupFormat(databaseUrl: string): BackupFormat {
  return databaseUrl.startsWith("file:") ? "sqlite" : "json";
}

export function backupFormatFor(file: string | undefined, databaseUrl: string, flag?: string): BackupFormat {
  if (flag !== undefined) {
    if (flag !== "sqlite" && flag !== "json") throw new Error(`--format must be sqlite or json, not "${flag}".`);
    return flag;
  }
  if (file?.endsWith(".json")) return "json";
  if (file && /\.(db|sqlite3?)$/.test(file)) return "sqlite";
  return defaultBackupFormat(databaseUrl);
}

function localPath(databaseUrl: string): string {
  if (!databaseUrl.startsWith("file:")) {
    throw new Error("A sqlite backup (VACUUM INTO) needs a local file: database; use --format json for this one.");
  }
  const withoutQuery = databaseUrl.replace(/\?.*$/, "");
  return withoutQuery.startsWith("file://") ? fileURLToPath(withoutQuery) : resolve(withoutQuery.slice(5));
}

export function backupFileName(at: Date, format: BackupFormat): string {
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  return `herald-${stamp}-${newId().slice(0, 6)}.${format === "sqlite" ? "db" : "json"}`;
}

async function withFileClient<T>(path: string, use: (client: Client) => Promise<T>): Promise<T> {
  const client = createClient({ url: `file:${path}` });
  try {
    return await use(client);
  } finally {
    client.close();
  }
}

/**
 * Writes a consistent snapshot to `file` (through a temp file and a rename, so a half-written backup
 * never has the final name) and returns what it holds.
 */
export async function writeBackup(deps: BackupDeps, file: string, format: BackupFormat): Promise<WrittenBackup> {
  await mkdir(dirname(file), { recursive: true });
  const partial = join(dirname(file), `.${basename(file)}.partial-${newId()}`);
  try {
    let tables: TableChecksums;
    let rows: number;
    if (format === "sqlite") {
      const source = localPath(deps.databaseUrl);
      // A client of its own: the shared one may hold a statement open after a failed batch
      // (@libsql/client 0.18), and then VACUUM refuses with "SQL statements in progress".
      await withFileClient(source, (client) => client.execute({ sql: "VACUUM INTO ?", args: [partial] }));
      // Read back a page at a time: memory stays flat however large the database.
      tables = await withFileClient(partial, async (client) => {
        await assertIntact(client);
        return databaseChecksums(client);
      });
      rows = Object.values(tables).reduce((sum, t) => sum + t.rows, 0);
    } else {
      const snapshot = await readSnapshot(deps.db.$client);
      tables = await snapshotChecksums(snapshot);
      rows = rowCount(snapshot);
      await writeFile(partial, toBackupJson(snapshot, tables, deps.clock.now().toISOString()));
    }
    await rename(partial, file);
    return { format, bytes: (await stat(file)).size, rows, tables };
  } finally {
    await rm(partial, { force: true });
  }
}

async function assertIntact(client: Client): Promise<void> {
  const check = (await client.execute("PRAGMA integrity_check")).rows.map((row) => String(row[0]));
  if (check.join() !== "ok") throw new Error(`the SQLite file is damaged: ${check.slice(0, 3).join("; ")}`);
}

async function readSqliteBackup(path: string): Promise<Snapshot> {
  return withFileClient(path, async (client) => {
    await assertIntact(client);
    return readSnapshot(client);
  });
}

async function isSqliteFile(file: string): Promise<boolean> {
  const handle = await open(file, "r").catch((error: NodeJS.ErrnoException) => {
    throw new Error(`Cannot read the backup ${file}: ${error.code === "ENOENT" ? "no such file" : error.message}`);
  });
  const head = Buffer.alloc(SQLITE_MAGIC.length);
  try {
    await handle.read(head, 0, head.length, 0);
  } finally {
    await handle.close();
  }
  return head.toString("latin1") === SQLITE_MAGIC;
}

/** Reads either backup format (told apart by the file's first bytes) into a snapshot. */
export async function readBackupFile(file: string): Promise<Snapshot> {
  const sqlite = await isSqliteFile(file);
  try {
    if (sqlite) return await readSqliteBackup(file);
    return (await parseBackupJson(await readFile(file, "utf8"))).snapshot;
  } catch (error) {
    throw new Error(`The backup ${file} cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Restores a backup file of either format into a migrated database (see restoreSnapshot). */
export async function restoreBackupFile(
  db: Db,
  file: string,
  options: { force?: boolean } = {},
): Promise<{ tables: number; rows: number }> {
  return restoreSnapshot(db.$client, await readBackupFile(file), options);
}

/**
 * Restores `file` into a fresh scratch database and compares every table's row count and checksum
 * with `expected`. Returns what failed, in words, or null when the backup restores exactly.
 */
export async function verifyBackupFile(
  file: string,
  expected: TableChecksums,
  migrationsDir: string,
): Promise<string | null> {
  const scratchDir = await mkdtemp(join(dirname(file), ".verify-"));
  const url = `file:${join(scratchDir, "scratch.db")}`;
  const scratch = createDb({ url });
  try {
    await prepareLocalDb(scratch, url);
    await migrate(scratch, { migrationsFolder: migrationsDir });
    if (await isSqliteFile(file)) {
      await withFileClient(file, async (backup) => {
        await assertIntact(backup);
        await copyIntoScratch(backup, scratch.$client);
      }).catch((error: unknown) => {
        throw new Error(
          `The backup ${file} cannot be restored: ${error instanceof Error ? error.message : String(error)}`,
        );
      });
    } else await restoreBackupFile(scratch, file);
    const differences = checksumDifferences(expected, await databaseChecksums(scratch.$client));
    return differences.length > 0 ? `restored content differs: ${differences.join("; ")}` : null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    scratch.$client.close();
    await rm(scratchDir, { recursive: true, force: true });
  }
}

/** Takes a backup into `dir` and records it (verification pending); a failure is recorded too. */
export async function takeBackup(deps: BackupDeps, dir: string, format: BackupFormat): Promise<BackupRecord> {
  const started = deps.clock.now();
  const path = join(dir, backupFileName(started, format));
  const record: BackupRecord = {
    id: newId(),
    format,
    path,
    bytes: null,
    startedAt: started.toISOString(),
    finishedAt: null,
    verification: "pending",
    verifiedAt: null,
    tables: null,
    error: null,
  };
  try {
    const written = await writeBackup(deps, path, format);
    Object.assign(record, { bytes: written.bytes, tables: written.tables, finishedAt: deps.clock.now().toISOString() });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    Object.assign(record, { verification: "failed", error: `the backup could not be written: ${message}` });
    (deps.log ?? consoleLog).error(`Herald: BACKUP FAILED: ${path}: ${record.error}`);
  }
  await recordBackup(deps.db, record);
  return record;
}

/** Verifies a recorded backup by restoring it into a scratch database; a failure is loud. */
export async function verifyBackup(deps: BackupDeps, record: BackupRecord): Promise<BackupRecord> {
  if (record.verification === "failed") return record;
  const error = record.tables
    ? await verifyBackupFile(record.path, record.tables, deps.migrationsDir)
    : "no checksums were recorded for this backup";
  const verifiedAt = deps.clock.now().toISOString();
  await recordVerification(deps.db, record.id, { verifiedAt, error });
  const log = deps.log ?? consoleLog;
  if (error) log.error(`Herald: BACKUP VERIFICATION FAILED: ${record.path}: ${error}`);
  else {
    const rows = Object.values(record.tables ?? {}).reduce((sum, t) => sum + t.rows, 0);
    log.info(`Herald: backup ${record.path} verified (${rows} rows restored and compared).`);
  }
  return { ...record, verification: error ? "failed" : "verified", verifiedAt, error };
}

/** Deletes the files (and rows) of backups beyond the newest `keep` verified ones. */
export async function pruneBackups(deps: BackupDeps, keep: number): Promise<BackupRecord[]> {
  const pruned = backupsToPrune(await listBackups(deps.db, 10_000), keep);
  for (const backup of pruned) {
    await rm(backup.path, { force: true });
    await forgetBackup(deps.db, backup.id);
  }
  return pruned;
}

export type BackupSchedule = { dir: string; everyMs: number; keep: number; format?: BackupFormat | undefined };

/** One scheduled run: take a backup, verify it, prune. */
export async function runScheduledBackup(deps: BackupDeps, schedule: BackupSchedule): Promise<BackupRecord> {
  const format = schedule.format ?? defaultBackupFormat(deps.databaseUrl);
  const verified = await verifyBackup(deps, await takeBackup(deps, schedule.dir, format));
  await pruneBackups(deps, schedule.keep);
  return verified;
}

/** Whether a scheduled backup is due: the newest one is at least `everyMs` old (or there is none). */
export async function isBackupDue(deps: BackupDeps, schedule: BackupSchedule): Promise<boolean> {
  const [newest] = await listBackups(deps.db, 1);
  return !newest || deps.clock.now().getTime() - new Date(newest.startedAt).getTime() >= schedule.everyMs;
}

/** Takes a scheduled backup when one is due. */
export async function backupIfDue(deps: BackupDeps, schedule: BackupSchedule): Promise<BackupRecord | null> {
  return (await isBackupDue(deps, schedule)) ? runScheduledBackup(deps, schedule) : null;
}
