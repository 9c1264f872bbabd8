/**
 * `herald runner`: the Node side of the split layout, where a Worker serves the API. It renders the site, sends
 * notifications, runs the scheduler's tick and backups, on a database `herald init` set up; no HTTP API.
 */
import type { RequestListener } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { type Clock, systemClock } from "../core/actions/clock.ts";
import type { Db } from "../db/client.ts";
import { currentSiteDir } from "../jobs/render/index.ts";
import { type Background, startBackground } from "./background.ts";
import type { NodeConfig } from "./config.ts";
import { listen } from "./http.ts";
import { prepareHerald } from "./setup.ts";

export type RunningRunner = {
  db: Db;
  background: Background;
  /** The health endpoint's address, when HERALD_RUNNER_PORT is set. */
  healthUrl: string | null;
  stop(): Promise<void>;
};

/** GET /healthz: 200 while the database answers, 503 when it does not (a container's health check). */
function healthListener(db: Db): RequestListener {
  return (req, res) => {
    if (req.method !== "GET" || req.url !== "/healthz") {
      res
        .writeHead(404, { "Content-Type": "text/plain; charset=utf-8" })
        .end("Not found: the runner answers GET /healthz only.");
      return;
    }
    db.$client.execute("SELECT 1").then(
      () => res.writeHead(200, { "Content-Type": "application/json" }).end('{"status":"ok"}'),
      () => res.writeHead(503, { "Content-Type": "application/json" }).end('{"status":"database unreachable"}'),
    );
  };
}

export async function startRunner(config: NodeConfig, clock: Clock = systemClock): Promise<RunningRunner> {
  const { db, apiUrl } = await prepareHerald(config, clock, { embedded: false });
  if (apiUrl === null)
    console.warn(
      `Herald runner: the page has no API address, so subscribers' links point at ${config.publicUrl}. If a Worker serves the API elsewhere, set PUBLIC_API_URL (or \`herald page set --api-url\`).`,
    );
  const background = await startBackground(db, config, clock);
  const health =
    config.runnerPort === undefined ? null : await listen(healthListener(db), config.runnerPort, config.host);
  const healthPort = health ? (health.address() as AddressInfo).port : null;
  let stopped = false;
  return {
    db,
    background,
    healthUrl:
      healthPort === null
        ? null
        : `http://${config.host === "0.0.0.0" ? "localhost" : config.host}:${healthPort}/healthz`,
    async stop() {
      if (stopped) return;
      stopped = true;
      if (health) await new Promise<void>((resolve) => health.close(() => resolve()));
      await background.stop();
      db.$client.close();
    },
  };
}

/** Runs until SIGINT/SIGTERM, then drains (the mail in flight is finished and recorded). */
export async function runRunnerProcess(config: NodeConfig, json: boolean): Promise<number> {
  const runner = await startRunner(config);
  const mail = !config.sender
    ? "not sent by this process (HERALD_SENDER=off; run `herald send`)"
    : config.smtpUrl
      ? `sent through ${new URL(config.smtpUrl).host} (SMTP_URL) from ${config.mailFrom}`
      : `written to ${join(config.dataDir, "mail")}/ (set SMTP_URL to send)`;
  const started = {
    site: currentSiteDir(config.dataDir),
    mail: config.sender ? (config.smtpUrl ? "smtp" : "folder") : "off",
    health: runner.healthUrl,
    backups: config.backupEveryMs > 0 ? config.backupDir : null,
  };
  process.stdout.write(
    json
      ? `${JSON.stringify(started)}\n`
      : [
          "",
          "  Herald runner is running (render, send, scheduler; no HTTP API).",
          `  Site:     ${started.site}`,
          `  Mail:     ${mail}`,
          `  Health:   ${runner.healthUrl ?? "none (set HERALD_RUNNER_PORT for GET /healthz)"}`,
          `  Backups:  ${started.backups ?? "off"}`,
          "",
          "  Press Ctrl-C to stop.",
          "",
        ].join("\n"),
  );
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await runner.stop();
  if (!json) console.log("Herald runner: stopped.");
  return 0;
}
