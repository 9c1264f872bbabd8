import { existsSync } from "node:fs";
import { mkdir, realpath } from "node:fs/promises";
import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { getRequestListener } from "@hono/node-server";
import type { Hono } from "hono";
import { type Clock, systemClock } from "../../core/clock.ts";
import type { RenderTopics } from "../../core/commit.ts";
import { type ActionContext, SYSTEM_ACTOR } from "../../core/context.ts";
import { ensurePage } from "../../core/page/get-page.ts";
import { startNewDay } from "../../core/page/start-new-day.ts";
import { seedDemoIfEmpty } from "../../core/setup/seed-demo.ts";
import type { CreatedToken } from "../../core/tokens/create-token.ts";
import { ensureAdminToken } from "../../core/tokens/ensure-admin-token.ts";
import { createDb, type Db, prepareLocalDb } from "../../db/client.ts";
import { migrateDb } from "../../db/migrate.ts";
import { createRenderer, currentSiteDir, type SiteChange } from "../../jobs/render/index.ts";
import { type JobRunner, startJobRunner } from "../../jobs/runner.ts";
import { createApp } from "../app.ts";
import type { NodeConfig } from "./config.ts";
import { createSiteServer, type SiteServer } from "./static-site.ts";

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
  const site = createSiteServer({ siteDir: currentSiteDir(config.dataDir), frameAncestors: config.frameAncestors });
  const renderer = await createRenderer({
    db,
    dataDir: config.dataDir,
    siteDist: SITE_DIST,
    onChange: siteChangeListener(site),
  });
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

  const app = createApp({ db, clock, onCommit: () => runner.wake() });
  const server = await listen(heraldListener(app, site), config.port, config.host);
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
