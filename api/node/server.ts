import { existsSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { getRequestListener } from "@hono/node-server";
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Hono } from "hono";
import { type Clock, systemClock } from "../../core/clock.ts";
import { type ActionContext, SYSTEM_ACTOR } from "../../core/context.ts";
import { ensurePage } from "../../core/page/get-page.ts";
import { seedDemoIfEmpty } from "../../core/setup/seed-demo.ts";
import { seedStockTemplates } from "../../core/templates/seed-stock-templates.ts";
import type { CreatedToken } from "../../core/tokens/create-token.ts";
import { ensureAdminToken } from "../../core/tokens/ensure-admin-token.ts";
import { createDb, type Db, prepareLocalDb } from "../../db/client.ts";
import { startBackupSchedule } from "../../jobs/backups.ts";
import { currentSiteDir, type Renderer, type SiteChange } from "../../jobs/render/index.ts";
import type { JobRunner } from "../../jobs/runner.ts";
import { startJobs } from "../../jobs/start-jobs.ts";
import { createApp } from "../app.ts";
import type { NodeConfig } from "./config.ts";
import { migrateDb } from "./migrate.ts";
import { createSiteServer, type SiteServer } from "./static-site.ts";

const PROJECT_ROOT = projectRoot(fileURLToPath(new URL(".", import.meta.url)));
export const MIGRATIONS_DIR = `${PROJECT_ROOT}db/migrations`;
export const SITE_DIST = `${PROJECT_ROOT}site/dist`;
/**
 * The render thread's bundle, beside dist/herald.mjs (scripts/build.mjs builds both). Run from the sources
 * there is none, and rendering shares the server's thread.
 */
const RENDER_WORKER = fileURLToPath(new URL("./render-worker.mjs", import.meta.url));
/** The backup thread's bundle, likewise (jobs/backup-thread.ts); without it backups run on the server's thread. */
const BACKUP_WORKER = fileURLToPath(new URL("./backup-worker.mjs", import.meta.url));
/** Written by scripts/build.mjs with the site build: the code version a release is stamped with. */
const BUILD_HASH_FILE = `${PROJECT_ROOT}dist/.build-hash`;

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
    settings: config.settings,
    renderThread: existsSync(RENDER_WORKER)
      ? { workerFile: RENDER_WORKER, databaseUrl: config.databaseUrl, databaseAuthToken: config.databaseAuthToken }
      : undefined,
    onSiteChange: siteChangeListener(site),
    mail: config.sender
      ? {
          smtpUrl: config.smtpUrl,
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

/** Tells the site server what a render changed, so the files it keeps in memory stay current. */
export function siteChangeListener(site: SiteServer): (change: SiteChange) => void {
  return (change) => ("file" in change ? site.fileChanged(change.file) : site.releaseSwitched());
}

/**
 * One request listener for the whole server: the rendered site (and, on Node, the rendered v2
 * documents) answer first, straight from files or memory; everything else goes to the Hono app.
 */
export function heraldListener(app: Hono<never> | { fetch: Hono["fetch"] }, site: SiteServer): RequestListener {
  const api = getRequestListener(app.fetch);
  return (req, res) => {
    site.serve(req, res).then(
      (served) => {
        if (served) return;
        res.once("prefinish", () => {
          if (res.statusCode === 413) closeAfterResponse(req.socket);
        });
        return api(req, res);
      },
      (error: unknown) => {
        console.error("Herald: serving a file failed.", error);
        if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain; charset=utf-8" });
        res.end("Something went wrong on our side.");
      },
    );
  };
}

const LINGER_MS = 2_000;

/**
 * Closes the connection once a 413 is out (it says `Connection: close`), without resetting it: a client still sending the
 * body we refused would otherwise get a reset and may lose the response. We send our end (FIN), keep
 * reading (and dropping) what it sends for a moment, then close.
 */
function closeAfterResponse(socket: Socket): void {
  socket.destroySoon = () => {
    socket.end();
    socket.resume();
    const timer = setTimeout(() => socket.destroy(), LINGER_MS);
    timer.unref();
    socket.once("close", () => clearTimeout(timer));
  };
}

/** Starts an HTTP server; bad requests (e.g. 431, headers too large) are answered and the connection closed. */
export function listen(listener: RequestListener, port: number, host: string): Promise<Server> {
  const server = createServer(listener);
  server.on("clientError", (error: Error & { code?: string }, socket: Socket) => {
    if (socket.writable && !socket.writableEnded) {
      const status = error.code === "HPE_HEADER_OVERFLOW" ? "431 Request Header Fields Too Large" : "400 Bad Request";
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    } else socket.destroy();
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve(server);
    });
  });
}
