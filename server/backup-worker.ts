/** The backup thread's entry (bundled as dist/backup-worker.mjs): one scheduled backup, see jobs/backup-thread.ts. */
import { parentPort, workerData } from "node:worker_threads";
import { systemClock } from "../core/actions/clock.ts";
import { createDb } from "../db/client.ts";
import type { BackupThreadData, BackupThreadMessage } from "../jobs/backup-thread.ts";
import { runScheduledBackup } from "../jobs/backups.ts";
import { threadError } from "../jobs/thread-error.ts";

const port = parentPort;
if (!port) throw new Error("server/backup-worker.ts runs as a worker thread (see jobs/backup-thread.ts).");
const data = workerData as BackupThreadData;
const db = createDb({ url: data.databaseUrl, authToken: data.databaseAuthToken });
let message: BackupThreadMessage;
try {
  const record = await runScheduledBackup(
    { db, databaseUrl: data.databaseUrl, clock: systemClock, migrationsDir: data.migrationsDir },
    data.schedule,
  );
  message = { type: "done", record };
} catch (error) {
  message = { type: "failed", error: threadError(error) };
} finally {
  db.$client.close();
}
port.postMessage(message);
