import { existsSync } from "node:fs";
import { mkdir, realpath } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { serve } from "@hono/node-server";
import { type Clock, systemClock } from "../../core/clock.ts";
import type { RenderTopics } from "../../core/commit.ts";
import { type ActionContext, SYSTEM_ACTOR } from "../../core/context.ts";
import { ensurePage } from "../../core/page/get-page.ts";
import { startNewDay } from "../../core/page/start-new-day.ts";
import { seedDemoIfEmpty } from "../../core/setup/seed-demo.ts";
import type { CreatedToken } from "../../core/tokens/create-token.ts";
import { ensureAdminToken } from "../../core/tokens/ensure-admin-token.ts";
import { createDb, type Db, prepareLocalDb } from "../../db/client.ts";
import { createRenderer, currentSiteDir } from "../../jobs/render/index.ts";
import { type JobRunner, startJobRunner } from "../../jobs/runner.ts";
import { createApp } from "../app.ts";
import type { NodeConfig } from "./config.ts";
import { migrateDb } from "./migrate.ts";
import { staticSite } from "./static-site.ts";

const PROJECT_ROOT = projectRoot(fileURLToPath(new URL(".", import.meta.url)));
export const MIGRATIONS_DIR = `${PROJECT_ROOT}db/migrations`;
export const SITE_DIST = `${PROJECT_ROOT}site/dist`;
/** How often the page checks whether a new UTC day began (for today's uptime bar). */
const DAY_CHECK_MS = 10 * 60_000;

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
  const createdToken = await ensureAdminToken(system, config.adminToken);

  await mkdir(config.dataDir, { recursive: true });
  const renderer = await createRenderer({ db, dataDir: config.dataDir, siteDist: SITE_DIST });
  // A first start waits for its first page; later starts serve the last release while a full render
  // (new code, or changes made while Herald was down) runs in the background.
  const hasRelease = await realpath(currentSiteDir(config.dataDir)).then(
    () => true,
    () => false,
  );
  const fullRender = renderer.renderAll();
  if (!hasRelease) await fullRender;
  else
    fullRender.catch((error: unknown) =>
      console.error("Herald: the full render failed; the last release stays live.", error),
    );
  const runner = startJobRunner({
    db,
    clock,
    handlers: {
      render: async (due) => {
        const topics = due.map((job) => job.payload as RenderTopics);
        const stats = topics.some((t) => t.full) ? await renderer.renderAll() : await renderer.renderTopics(topics);
        if (config.logRenders) {
          console.log(
            `render: ${due.length} job(s), ${stats.routes} routes, ${stats.written} written in ${stats.ms.toFixed(0)} ms`,
          );
        }
      },
    },
  });

  const newDay = () =>
    startNewDay(system).catch((error: unknown) => console.error("Herald: could not start the new day.", error));
  await newDay();
  const dayTimer = setInterval(newDay, DAY_CHECK_MS);
  dayTimer.unref();

  const app = createApp({
    db,
    clock,
    onCommit: () => runner.wake(),
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
    createdToken,
    seeded,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(dayTimer);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await runner.stop();
      await fullRender.catch(() => {});
      await renderer.settled();
      db.$client.close();
    },
  };
}
