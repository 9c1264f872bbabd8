/**
 * A scheduled backup on a thread of its own (server/backup-worker.ts, bundled as dist/backup-worker.mjs), with its
 * own database connection. VACUUM INTO, the integrity check and the verification's restore are synchronous
 * calls into SQLite: on the server's thread they held up every request and every publish for as long as
 * they ran (~0.4 s at 10,000 incidents, seconds at 100,000), once a day.
 */
import { Worker } from "node:worker_threads";
import type { BackupRecord } from "../core/backups/records.ts";
import type { BackupSchedule } from "./backups.ts";
import { fromThreadError, type ThreadError } from "./thread-error.ts";

/** What the backup thread needs: its own connection to the database, and the schedule's settings. */
export type BackupThreadData = {
  databaseUrl: string;
  databaseAuthToken: string | undefined;
  migrationsDir: string;
  schedule: BackupSchedule;
};

export type BackupThreadMessage = { type: "done"; record: BackupRecord } | { type: "failed"; error: ThreadError };

/** Takes, verifies and prunes one scheduled backup on a new thread; resolves with its record. */
export function runBackupOnThread(workerFile: string, data: BackupThreadData): Promise<BackupRecord> {
  return new Promise<BackupRecord>((resolve, reject) => {
    const worker = new Worker(workerFile, { workerData: data });
    let answered = false;
    worker.once("message", (message: BackupThreadMessage) => {
      answered = true;
      if (message.type === "done") resolve(message.record);
      else reject(fromThreadError(message.error));
    });
    worker.once("error", (error) => {
      answered = true;
      reject(error);
    });
    worker.once("exit", (code) => {
      if (!answered) reject(new Error(`The backup thread stopped (exit code ${code}) before the backup was done.`));
    });
  });
}
