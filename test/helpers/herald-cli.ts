import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export type CliRun = { code: number | null; stdout: string; stderr: string };

/** Runs the built `herald` command as a user would, with `env` (HERALD_URL, HERALD_TOKEN …). */
export function runHerald(args: string[], env: Record<string, string | undefined>): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["dist/herald.mjs", ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs it with `--json`, expects exit 0 and parses what it printed. */
export async function heraldJson<T>(args: string[], env: Record<string, string | undefined>): Promise<T> {
  const run = await runHerald([...args, "--json"], env);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as T;
}
