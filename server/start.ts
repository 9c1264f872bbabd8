/** `herald start`: the embedded default, API, job runner, backups and static site in one process on one port. */
import type { AddressInfo } from "node:net";
import { getConnInfo } from "@hono/node-server/conninfo";
import { createApp } from "../api/app.ts";
import { type Clock, systemClock } from "../core/actions/clock.ts";
import type { CreatedToken } from "../core/tokens/create-token.ts";
import type { Db } from "../db/client.ts";
import { currentSiteDir, type Renderer } from "../jobs/render/index.ts";
import type { JobRunner } from "../jobs/runner.ts";
import { startBackground } from "./background.ts";
import type { NodeConfig } from "./config.ts";
import { heraldListener, listen, siteChangeListener } from "./http.ts";
import { prepareHerald } from "./setup.ts";
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

/**
 * Runs the embedded default: API, job runner and static site in one process on one port. On a local file it
 * sets up a new database itself (with demo components); a remote one must have been set up by `herald init`.
 */
export async function startHerald(config: NodeConfig, clock: Clock = systemClock): Promise<RunningHerald> {
  const prepared = await prepareHerald(config, clock, { embedded: true });
  const { db } = prepared;
  const site = createSiteServer({ siteDir: currentSiteDir(config.dataDir), frameAncestors: config.frameAncestors });
  const background = await startBackground(db, config, clock, { onSiteChange: siteChangeListener(site) });
  const { runner } = background.jobs;

  const app = createApp({
    db,
    clock,
    onCommit: () => runner.wake(),
    clientAddress: (c) => getConnInfo(c).remote.address,
    linkSecret: config.linkSecret,
    settings: config.settings,
    sso: config.sso,
    serializeIntake: !config.databaseRemote,
  });
  const server = await listen(heraldListener(app, site), config.port, config.host);
  const port = (server.address() as AddressInfo).port;
  let stopped = false;
  return {
    url: `http://${config.host === "0.0.0.0" ? "localhost" : config.host}:${port}`,
    db,
    runner,
    renderer: background.jobs.renderer,
    createdToken: prepared.createdToken,
    seeded: prepared.seeded,
    async stop() {
      if (stopped) return;
      stopped = true;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await background.stop();
      db.$client.close();
    },
  };
}
