/** `herald send` as its own process for the fan-out benches, measured by bench/max-rss.mjs into `rssFile`. */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { START_NODE_FLAGS } from "../test/helpers/herald-process.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

export type BenchSender = { stop(): Promise<void> };

/**
 * Starts the sender with the Node flags `npm run send` uses and resolves once it says it is sending (its
 * start-up is not the fan-out's cost). BENCH_SENDER_NODE_OPTIONS adds Node options to the measured process.
 */
export async function startBenchSender(env: Record<string, string>, rssFile: string): Promise<BenchSender> {
  const sender = spawn(process.execPath, [...START_NODE_FLAGS, "dist/herald.mjs", "send"], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...env,
      HERALD_RSS_FILE: rssFile,
      NODE_OPTIONS: `--import=${join(ROOT, "bench/max-rss.mjs")} ${process.env.BENCH_SENDER_NODE_OPTIONS ?? ""}`,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<void>((resolve) => sender.once("exit", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let out = "";
    sender.stdout?.on("data", (chunk) => {
      process.stdout.write(chunk);
      out += chunk;
      if (/Herald sender: sending/.test(out)) resolve();
    });
    sender.once("exit", (code) => reject(new Error(`herald send exited (${code}) before sending`)));
  });
  return {
    async stop() {
      sender.kill("SIGTERM");
      await exited;
    },
  };
}
