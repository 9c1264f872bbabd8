/** The background parts `herald start` and `herald runner` both run: render, send, scheduler (startJobs) and backups. */
import { existsSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import type { Clock } from "../core/actions/clock.ts";
import type { Db } from "../db/client.ts";
import { startBackupSchedule } from "../jobs/backup-schedule.ts";
import type { SiteChange } from "../jobs/render/index.ts";
import { type RunningJobs, startJobs } from "../jobs/start-jobs.ts";
import type { NodeConfig } from "./config.ts";
import { BACKUP_WORKER, BUILD_HASH_FILE, MIGRATIONS_DIR, RENDER_WORKER, SITE_DIST } from "./paths.ts";

/** A part that runs in the background until stopped. */
export type BackgroundPart = { name: string; stop(): Promise<void> };

export type Background = {
  jobs: RunningJobs;
  /** Every part, in start order; `stop` stops them in reverse. */
  parts: BackgroundPart[];
  stop(): Promise<void>;
};

/**
 * Starts the outbox runner (render, notify, the scheduler's tick and the new-day check), the sender unless
 * HERALD_SENDER=off, and scheduled backups when configured. Further parts (a publish target, a lease) join
 * the list here, so both processes get them.
 */
export async function startBackground(
  db: Db,
  config: NodeConfig,
  clock: Clock,
  options: { onSiteChange?: (change: SiteChange) => void } = {},
): Promise<Background> {
  await mkdir(config.dataDir, { recursive: true });
  const jobs = await startJobs({
    db,
    clock,
    dataDir: config.dataDir,
    siteDist: SITE_DIST,
    build: await readFile(BUILD_HASH_FILE, "utf8").then(
      (hash) => hash.trim() || undefined,
      () => undefined,
    ),
    logRenders: config.logRenders,
    settings: config.settings,
    timings: config.runnerTimings,
    renderThread: existsSync(RENDER_WORKER)
      ? { workerFile: RENDER_WORKER, databaseUrl: config.databaseUrl, databaseAuthToken: config.databaseAuthToken }
      : undefined,
    ...(options.onSiteChange ? { onSiteChange: options.onSiteChange } : {}),
    publish: config.publish,
    frameAncestors: config.frameAncestors,
    mail: config.sender
      ? {
          smtpUrl: config.smtpUrl,
          mailFrom: config.mailFrom,
          publicUrl: config.publicUrl,
          linkSecret: config.linkSecret,
        }
      : undefined,
  });
  const parts: BackgroundPart[] = [{ name: "jobs", stop: () => jobs.stop() }];
  if (config.backupEveryMs > 0) {
    const schedule = startBackupSchedule(
      { db, databaseUrl: config.databaseUrl, clock, migrationsDir: MIGRATIONS_DIR },
      { dir: config.backupDir, everyMs: config.backupEveryMs, keep: config.backupKeep },
      existsSync(BACKUP_WORKER)
        ? { workerFile: BACKUP_WORKER, databaseAuthToken: config.databaseAuthToken }
        : undefined,
    );
    parts.push({ name: "backups", stop: () => schedule.stop() });
  }
  return {
    jobs,
    parts,
    async stop() {
      for (const part of [...parts].reverse()) await part.stop();
    },
  };
}
