import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { unstable_startWorker } from "wrangler";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export type HeraldWorker = { url: string; dispose(): Promise<void> };

/** The HERALD_SECRET test Workers run with: a Worker refuses to serve without one (server/worker-secret.ts). */
export const TEST_HERALD_SECRET = "edge-test-secret-of-at-least-32-characters";

/**
 * Herald's Workers entry (wrangler.toml, server/worker.ts) in real workerd through wrangler, on the libSQL
 * server at `databaseUrl`. `stateDir` holds wrangler's local state.
 */
export async function startHeraldWorker(
  databaseUrl: string,
  stateDir: string,
  options: { entrypoint?: string; secret?: string } = {},
): Promise<HeraldWorker> {
  // No telemetry or error reports leave the machine.
  process.env.WRANGLER_SEND_METRICS = "false";
  process.env.WRANGLER_SEND_ERROR_REPORTS = "false";
  const worker = await unstable_startWorker({
    config: join(ROOT, "wrangler.toml"),
    ...(options.entrypoint ? { entrypoint: options.entrypoint } : {}),
    bindings: {
      DATABASE_URL: { type: "plain_text", value: databaseUrl },
      HERALD_SECRET: { type: "plain_text", value: options.secret ?? TEST_HERALD_SECRET },
    },
    dev: {
      server: { hostname: "127.0.0.1", port: 0 },
      inspector: false,
      watch: false,
      persist: stateDir,
      logLevel: "warn",
    },
  });
  await worker.ready;
  const url = (await worker.url).toString().replace(/\/$/, "");
  return { url, dispose: () => worker.dispose() };
}
