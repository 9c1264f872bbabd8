/** podman for the container tests, with the settings that work on our machines (scripts/container/podman.sh). */
import { execFile, spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const PODMAN = `${ROOT}scripts/container/podman.sh`;

/** Whether podman (and runc, which the wrapper selects) is installed on this machine. */
export function podmanInstalled(): boolean {
  return ["podman", "runc"].every((tool) => spawnSync(tool, ["--version"], { stdio: "ignore" }).status === 0);
}

export type Run = { stdout: string; stderr: string; code: number };

/** Runs a command to its end without blocking the test's event loop; a non-zero exit is a result, not a throw. */
export function run(file: string, args: string[], timeoutMs = 600_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd: ROOT, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
      resolve({ stdout, stderr, code });
    });
  });
}

export function podman(args: string[], timeoutMs?: number): Promise<Run> {
  return run(PODMAN, args, timeoutMs);
}

/** podman that must succeed: its stdout, or an error with everything it printed. */
export async function podmanOk(args: string[], timeoutMs?: number): Promise<string> {
  const result = await podman(args, timeoutMs);
  if (result.code !== 0)
    throw new Error(`podman ${args.join(" ")} exited ${result.code}:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** A port free on the loopback interface now, for `-p 127.0.0.1:PORT:8787`. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `probe` until it returns a value, or fails after `timeoutMs` with `what`. */
export async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The first JSON object in `herald start --json`'s output (printed over several lines). */
export function startedJson(logs: string): Record<string, unknown> | undefined {
  const start = logs.indexOf("{\n");
  if (start < 0) return undefined;
  const end = logs.indexOf("\n}", start);
  if (end < 0) return undefined;
  const parsed: unknown = JSON.parse(logs.slice(start, end + 2));
  return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
}
