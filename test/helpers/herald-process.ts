import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export type HeraldProcess = {
  url: string;
  output: () => string;
  /** The admin token printed on first start, if this start printed one. */
  printedToken: string | null;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
};

/**
 * Node's flags in `npm start` (package.json). A young generation of 4 MB per semi-space, not V8's
 * default for this much memory: a full render's garbage is short-lived, and the larger default kept
 * ~100 MB more resident (bench/publish measures the full render with the same flags). `--expose-gc`
 * lets the full render collect after each history month (jobs/render/collect-garbage.ts).
 */
export const START_NODE_FLAGS = ["--max-semi-space-size=4", "--expose-gc"];

/**
 * The environment `npm start` adds (package.json): at most 2 glibc malloc arenas. Each libuv pool thread
 * that compresses a page otherwise keeps its own arena of freed brotli buffers: a 10,000-incident full
 * render peaked at 259 MB with them and 224 MB without (bench/publish uses the same setting).
 */
export const START_ENV: Record<string, string> = { MALLOC_ARENA_MAX: "2" };

/**
 * Whether this machine lets a process take a host name of its own (`unshare -rU --uts`, an unprivileged
 * user namespace): how a test plays "another machine" on one.
 */
export function canPlayAnotherMachine(): boolean {
  return spawnSync("unshare", ["-rU", "--uts", "hostname", "another-machine"], { stdio: "ignore" }).status === 0;
}

/**
 * Starts the built Herald exactly as `npm start` does, on a free port, with its data in `dataDir`;
 * with `hostname`, as if on another machine of that name (see canPlayAnotherMachine); with `command:
 * "runner"`, `herald runner` (no HTTP API: `url` is empty).
 */
export async function startHeraldProcess(
  dataDir: string,
  env: Record<string, string> = {},
  startTimeoutMs = 30_000,
  options: { hostname?: string; command?: "start" | "runner" } = {},
): Promise<HeraldProcess> {
  const herald = options.command ?? "start";
  const node = [process.execPath, ...START_NODE_FLAGS, "dist/herald.mjs", herald];
  // `exec` keeps one process: the pid a test signals is Node's.
  const [command = "", ...args] = options.hostname
    ? ["unshare", "-rU", "--uts", "sh", "-c", `hostname "$0" && exec "$@"`, options.hostname, ...node]
    : node;
  const child: ChildProcess = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...START_ENV, HERALD_DATA: dataDir, PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const deadline = Date.now() + startTimeoutMs;
  while (!/Press Ctrl-C to stop/.test(output)) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`Herald did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const url = herald === "runner" ? "" : /Status page:\s+(http:\/\/\S+?)\/\s/.exec(output)?.[1];
  if (url === undefined) throw new Error(`No URL in Herald's banner:\n${output}`);
  return {
    url,
    output: () => output,
    printedToken: /Admin API token[^\n]*\n\s+(hrld_\w+)/.exec(output)?.[1] ?? null,
    async stop(signal = "SIGINT") {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}
