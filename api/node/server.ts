import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { serve } from "@hono/node-server";
import { getConnInfo } from "@hono/node-server/conninfo";
import { type Clock, systemClock } from "../../core/clock.ts";
import { type ActionContext, SYSTEM_ACTOR } from "../../core/context.ts";
import { ensurePage } from "../../core/page/get-page.ts";
import { seedDemoIfEmpty } from "../../core/setup/seed-demo.ts";
import type { CreatedToken } from "../../core/tokens/create-token.ts";
import { ensureAdminToken } from "../../core/tokens/ensure-admin-token.ts";
import { createDb, type Db, prepareLocalDb } from "../../db/client.ts";
import { migrateDb } from "../../db/migrate.ts";
import { startBackupSchedule } from "../../jobs/backups.ts";
import { currentSiteDir } from "../../jobs/render/index.ts";
import type { JobRunner } from "../../jobs/runner.ts";
import { startJobs } from "../../jobs/start-jobs.ts";
import { createApp } from "../app.ts";
import type { NodeConfig } from "./config.ts";
import { staticSite } from "./static-site.ts";

const PROJECT_ROOT = projectRoot(fileURLToPath(new URL(".", import.meta.url)));
export const MIGRATIONS_DIR = `${PROJECT_ROOT}db/migrations`;
export const SITE_DIST = `${PROJECT_ROOT}site/dist`;

/** The folder holding `db/migrations`: two above the sources (api/node/), one above the bundle (dist/). */
function projectRoot(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, "db", "migrations"))) return `${dir}/`;
  }
  throw new Error(`Herald: no db/migrations folder above ${from}.`);
}

/** Opens the database and brings its schema up to date. */
export async function openDatabase(config: NodeConfig): Promise<Db> {
  if (config.databaseUrl.startsWith("file:")) await mkdir(config.dataDir, { recursive: true });
  const db = createDb({ url: config.databaseUrl, authToken: config.databaseAuthToken });
  await prepareLocalDb(db, config.databaseUrl);
  await migrateDb(db, MIGRATIONS_DIR);
  return db;
}

export type RunningHerald = {
  url: string;
  db: Db;
  runner: JobRunner;
  /** A first admin token Herald generated (never HERALD_ADMIN_TOKEN): shown once in the banner. */
  createdToken: CreatedToken | null;
  seeded: boolean;
  stop(): Promise<void>;
};

/** Runs the embedded default: API, job runner and static site in one process on one port. */
export async function startHerald(config: NodeConfig, clock: Clock = systemClock): Promise<RunningHerald> {
  const db = await openDatabase(config);
  const system: ActionContext = { db, clock, actor: SYSTEM_ACTOR };
  await ensurePage(db, clock, { name: config.pageName, url: config.publicUrl });
  const seeded = await seedDemoIfEmpty(system);
  const ensured = await ensureAdminToken(system, config.adminToken);
  if (ensured.revoked.length > 0)
    console.log(
      `Herald: HERALD_ADMIN_TOKEN changed; revoked the token its previous value ensured (${ensured.revoked.join(", ")}).`,
    );
  if (ensured.environmentTokenRevoked)
    console.warn("Herald: HERALD_ADMIN_TOKEN is a revoked token and does not work; set a new value.");

  await mkdir(config.dataDir, { recursive: true });
  const jobs = await startJobs({
    db,
    clock,
    dataDir: config.dataDir,
    siteDist: SITE_DIST,
    logRenders: config.logRenders,
  });
  const { runner } = jobs;
  const backupSchedule =
    config.backupEveryMs > 0
      ? startBackupSchedule(
          { db, databaseUrl: config.databaseUrl, clock, migrationsDir: MIGRATIONS_DIR },
          { dir: config.backupDir, everyMs: config.backupEveryMs, keep: config.backupKeep },
        )
      : null;

  const app = createApp({
    db,
    clock,
    onCommit: () => runner.wake(),
    clientAddress: (c) => getConnInfo(c).remote.address,
    fallback: staticSite(currentSiteDir(config.dataDir)),
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  let stopped = false;
  return {
    url: `http://${config.host === "0.0.0.0" ? "localhost" : config.host}:${port}`,
    db,
    runner,
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
