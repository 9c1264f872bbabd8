/** `herald start`: the embedded default, API, job runner, backups and static site in one process on one port. */
import { existsSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { getConnInfo } from "@hono/node-server/conninfo";
import { createApp } from "../api/app.ts";
import { type Clock, systemClock } from "../core/actions/clock.ts";
import { type ActionContext, SYSTEM_ACTOR } from "../core/actions/context.ts";
import { ensurePage } from "../core/page/get-page.ts";
import { seedDemoIfEmpty } from "../core/setup/seed-demo.ts";
import { seedStockTemplates } from "../core/templates/seed-stock-templates.ts";
import type { CreatedToken } from "../core/tokens/create-token.ts";
import { ensureAdminToken } from "../core/tokens/ensure-admin-token.ts";
import type { Db } from "../db/client.ts";
import { startBackupSchedule } from "../jobs/backup-schedule.ts";
import { currentSiteDir, type Renderer } from "../jobs/render/index.ts";
import type { JobRunner } from "../jobs/runner.ts";
import { startJobs } from "../jobs/start-jobs.ts";
import type { NodeConfig } from "./config.ts";
import { openDatabase } from "./database.ts";
import { heraldListener, listen, siteChangeListener } from "./http.ts";
import { BACKUP_WORKER, BUILD_HASH_FILE, MIGRATIONS_DIR, RENDER_WORKER, SITE_DIST } from "./paths.ts";
import { createSiteServer } from "./static-site.ts";

export type RunningHerald = {
  url: string;
  db: Db;
  runner: JobRunner;
  /** The site renderer the runner drives (tests wait on its `settled()`). */
  renderer: Renderer;
  /** A first admin token Herald generated (never HERALD_ADMIN_TOKEN): shown once in the banner. */
  createdToken: CreatedToken | null;
  seeded: boolean;
  stop(): Promise<void>;
};

/** Runs the embedded default: API, job runner and static site in one process on one port. */
export async function startHerald(config: NodeConfig, clock: Clock = systemClock): Promise<RunningHerald> {
  const db = await openDatabase(config);
  const system: ActionContext = { db, clock, actor: SYSTEM_ACTOR };
  await ensurePage(db, clock, { name: config.pageName, url: config.publicUrl, keepUrl: !config.publicUrlSet });
  const seeded = await seedDemoIfEmpty(system);
  await seedStockTemplates(system);
  const ensured = await ensureAdminToken(system, config.adminToken);
  if (ensured.revoked.length > 0)
    console.log(
      `Herald: HERALD_ADMIN_TOKEN changed; revoked the token its previous value ensured (${ensured.revoked.join(", ")}).`,
    );
  if (ensured.environmentTokenRevoked)
    console.warn("Herald: HERALD_ADMIN_TOKEN is a revoked token and does not work; set a new value.");

  await mkdir(config.dataDir, { recursive: true });
  const site = createSiteServer({ siteDir: currentSiteDir(config.dataDir), frameAncestors: config.frameAncestors });
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
    deliveryRetentionMs: config.mail.deliveryRetentionMs,
    settings: config.settings,
    renderThread: existsSync(RENDER_WORKER)
      ? { workerFile: RENDER_WORKER, databaseUrl: config.databaseUrl, databaseAuthToken: config.databaseAuthToken }
      : undefined,
    onSiteChange: siteChangeListener(site),
    mail: config.sender
      ? {
          smtpUrl: config.smtpUrl,
          transport: config.mail.transport,
          mailFrom: config.mailFrom,
          publicUrl: config.publicUrl,
          linkSecret: config.linkSecret,
        }
      : undefined,
  });
  const { runner } = jobs;
  const backupSchedule =
    config.backupEveryMs > 0
      ? startBackupSchedule(
          { db, databaseUrl: config.databaseUrl, clock, migrationsDir: MIGRATIONS_DIR },
          { dir: config.backupDir, everyMs: config.backupEveryMs, keep: config.backupKeep },
          existsSync(BACKUP_WORKER)
            ? { workerFile: BACKUP_WORKER, databaseAuthToken: config.databaseAuthToken }
            : undefined,
        )
      : null;

  const app = createApp({
    db,
    clock,
    onCommit: () => runner.wake(),
    clientAddress: (c) => getConnInfo(c).remote.address,
    linkSecret: config.linkSecret,
    settings: config.settings,
  });
  const server = await listen(heraldListener(app, site), config.port, config.host);
  const port = (server.address() as AddressInfo).port;
  let stopped = false;
  return {
    url: `http://${config.host === "0.0.0.0" ? "localhost" : config.host}:${port}`,
    db,
    runner,
    renderer: jobs.renderer,
    createdToken: ensured.generated,
    seeded,
    async stop() {
      if (stopped) return;
      stopped = true;
      await backupSchedule?.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await jobs.stop();
      db.$client.close();
    },
  };
}
