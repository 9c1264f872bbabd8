import { desc, eq } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import type { BackupFormat } from "../../db/enums.ts";
import { backups } from "../../db/schema.ts";
import type { TableChecksums } from "./checksum.ts";

export type { BackupFormat };
export type BackupRecord = typeof backups.$inferSelect;

/** A backup as `GET /api/backups` shows it. */
export type BackupView = {
  id: string;
  format: BackupFormat;
  path: string;
  bytes: number | null;
  started_at: string;
  finished_at: string | null;
  verification: "pending" | "verified" | "failed";
  verified_at: string | null;
  tables: TableChecksums | null;
  error: string | null;
};

export function backupView(row: BackupRecord): BackupView {
  return {
    id: row.id,
    format: row.format,
    path: row.path,
    bytes: row.bytes,
    started_at: row.startedAt,
    finished_at: row.finishedAt,
    verification: row.verification,
    verified_at: row.verifiedAt,
    tables: row.tables,
    error: row.error,
  };
}

/** Backups newest first. */
export async function listBackups(db: Db, limit = 100): Promise<BackupRecord[]> {
  return db.select().from(backups).orderBy(desc(backups.startedAt), desc(backups.id)).limit(limit);
}

export async function recordBackup(db: Db, row: typeof backups.$inferInsert): Promise<void> {
  await db.insert(backups).values(row);
}

export async function recordVerification(
  db: Db,
  id: string,
  result: { verifiedAt: string; error: string | null },
): Promise<void> {
  await db
    .update(backups)
    .set({ verification: result.error ? "failed" : "verified", verifiedAt: result.verifiedAt, error: result.error })
    .where(eq(backups.id, id));
}

export async function forgetBackup(db: Db, id: string): Promise<void> {
  await db.delete(backups).where(eq(backups.id, id));
}

/**
 * Which backups pruning removes: all but the newest `keep` verified ones, and failed or unverified
 * ones older than the oldest kept (newer failures stay, to be looked at).
 */
export function backupsToPrune(newestFirst: BackupRecord[], keep: number): BackupRecord[] {
  const verified = newestFirst.filter((b) => b.verification === "verified");
  if (verified.length <= keep) return [];
  const oldestKept = verified[keep - 1];
  if (!oldestKept) return [];
  return newestFirst.filter((b) => b.startedAt < oldestKept.startedAt);
}
