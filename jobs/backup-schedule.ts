/** The backup timer: checks whether a scheduled backup is due and takes it, on a thread of its own when it can. */
import { runBackupOnThread } from "./backup-thread.ts";
import { type BackupDeps, type BackupSchedule, consoleLog, isBackupDue, runScheduledBackup } from "./backups.ts";

/** How often the schedule looks whether a backup is due. */
const CHECK_MS = 60_000;

/**
 * Checks on a timer whether a backup is due; `stop` waits for a backup in progress. With `thread` (the
 * bundled backup-worker.mjs and the database's token), the backup runs on a thread of its own
 * (backup-thread.ts); run from the sources, on this one.
 */
export function startBackupSchedule(
  deps: BackupDeps,
  schedule: BackupSchedule,
  thread?: { workerFile: string; databaseAuthToken: string | undefined },
): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  let busy = false;
  const run = async () => {
    if (!(await isBackupDue(deps, schedule))) return null;
    if (!thread) return runScheduledBackup(deps, schedule);
    const { workerFile, databaseAuthToken } = thread;
    const data = { databaseUrl: deps.databaseUrl, databaseAuthToken, migrationsDir: deps.migrationsDir, schedule };
    return runBackupOnThread(workerFile, data);
  };
  const tick = () => {
    if (busy) return;
    busy = true;
    running = run()
      .catch((error: unknown) =>
        (deps.log ?? consoleLog).error(
          `Herald: BACKUP FAILED: ${error instanceof Error ? error.message : String(error)}`,
        ),
      )
      .finally(() => {
        busy = false;
      });
  };
  const timer = setInterval(tick, Math.min(schedule.everyMs, CHECK_MS));
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
