// bench/publish: how fast an accepted update reaches every public surface, and what a full render costs.
// Seeds 10,000 incidents × 5 updates, posts 50 updates through the HTTP API one after another and
// measures, for each, the time from the API's 201 until the served index, the incident page, the RSS feed
// and the static summary.json all show it. Then times a full render next to a plain `astro build`.
import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { migrateDb } from "../api/node/migrate.ts";
import { createDb, prepareLocalDb } from "../db/client.ts";
import { type HeraldProcess, startHeraldProcess } from "../test/helpers/herald-process.ts";
import { seedHistory } from "./seed.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const INCIDENTS = Number(process.env.BENCH_INCIDENTS ?? 10_000);
const POSTS = Number(process.env.BENCH_POSTS ?? 50);
const TOKEN = "hrld_bench_token_0123456789abcdefghij";

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** Runs a Node command to completion and returns its wall time and peak RSS. */
function measure(args: string[], env: Record<string, string>): { seconds: number; rssMb: number; stdout: string } {
  const rssFile = join(tmpdir(), `herald-rss-${process.pid}-${Date.now()}`);
  const started = performance.now();
  const result = spawnSync(process.execPath, args, {
    cwd: ROOT,
    env: {
      ...process.env,
      ...env,
      HERALD_RSS_FILE: rssFile,
      NODE_OPTIONS: `--import=${join(ROOT, "bench/max-rss.mjs")}`,
    },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(`${args.join(" ")} failed:\n${result.stdout}\n${result.stderr}`);
  const rss = spawnSync("cat", [rssFile], { encoding: "utf8" }).stdout;
  return { seconds, rssMb: Number(rss), stdout: result.stdout };
}

/** Waits until Herald has no render job left from starting up (a new day, the first full render). */
async function settle(herald: HeraldProcess): Promise<void> {
  let last = herald.output().length;
  for (;;) {
    await new Promise((r) => setTimeout(r, 1500));
    if (herald.output().length === last) return;
    last = herald.output().length;
  }
}

const dataDir = await mkdtemp(join(tmpdir(), "herald-bench-"));
const url = `file:${join(dataDir, "herald.db")}`;
try {
  console.log(`bench/publish: seeding ${INCIDENTS.toLocaleString("en-US")} incidents × 5 updates…`);
  let started = performance.now();
  const db = createDb({ url });
  await prepareLocalDb(db, url);
  await migrateDb(db, join(ROOT, "db/migrations"));
  const { openIds } = await seedHistory(db, { count: INCIDENTS, open: 3, now: new Date() });
  db.$client.close();
  console.log(`  seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  started = performance.now();
  const herald = await startHeraldProcess(dataDir, { HERALD_ADMIN_TOKEN: TOKEN, HERALD_LOG_RENDERS: "1" }, 600_000);
  console.log(
    `  Herald started (migrate + full render of every page) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  await settle(herald);

  const latencies: number[] = [];
  for (let i = 0; i < POSTS; i++) {
    const incidentId = openIds[i % openIds.length] ?? "";
    const marker = `bench-marker-${i}-${Date.now().toString(36)}`;
    const response = await fetch(`${herald.url}/api/incidents/${incidentId}/updates`, {
      method: "POST",
      headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" },
      body: JSON.stringify({ status: i % 2 === 0 ? "monitoring" : "identified", body: `Update ${i}: ${marker}.` }),
    });
    const accepted = performance.now();
    if (response.status !== 201) throw new Error(`update ${i}: HTTP ${response.status} ${await response.text()}`);
    // What a customer (or a CDN pulling from the server) gets: the served pages and the static JSON file.
    const surfaces: Record<string, () => Promise<string>> = {
      index: () => fetch(`${herald.url}/`).then((r) => r.text()),
      incident: () => fetch(`${herald.url}/incidents/${incidentId}/`).then((r) => r.text()),
      feed: () => fetch(`${herald.url}/history.rss`).then((r) => r.text()),
      summary: () => readFile(join(dataDir, "site/api/v2/summary.json"), "utf8"),
    };
    const pending = new Set(Object.keys(surfaces));
    while (pending.size > 0) {
      for (const name of [...pending]) if ((await surfaces[name]?.())?.includes(marker)) pending.delete(name);
      if (performance.now() - accepted > 30_000)
        throw new Error(`update ${i} not visible after 30 s on: ${[...pending]}`);
      // Poll like an impatient reader, without starving the server the bench is measuring.
      if (pending.size > 0) await new Promise((r) => setTimeout(r, 5));
    }
    latencies.push(performance.now() - accepted);
  }
  await herald.stop();
  const renders = [...herald.output().matchAll(/render: \d+ job\(s\), (\d+) routes, \d+ written in (\d+) ms/g)]
    .slice(-POSTS)
    .map((m) => Number(m[2]))
    .sort((a, b) => a - b);
  const sorted = [...latencies].sort((a, b) => a - b);
  console.log(
    `  201 → visible on index, incident page, RSS and summary.json (${POSTS} updates): p50 ${percentile(sorted, 50).toFixed(0)} ms, p95 ${percentile(sorted, 95).toFixed(0)} ms, max ${(sorted.at(-1) ?? 0).toFixed(0)} ms`,
  );

  console.log(
    `  of which the render job (index, incident, history, feeds, JSON; component pages follow): p50 ${percentile(renders, 50)} ms, p95 ${percentile(renders, 95)} ms`,
  );
  console.log(`  all ${POSTS}, sorted (ms): ${sorted.map((t) => t.toFixed(0)).join(" ")}`);

  const render = measure(
    [
      join(ROOT, "node_modules/tsx/dist/cli.mjs"),
      "bench/full-render.ts",
      url,
      join(dataDir, "full"),
      join(ROOT, "site/dist"),
    ],
    {},
  );
  const routes = JSON.parse(render.stdout.trim().split("\n").at(-1) ?? "{}").routes;
  console.log(
    `  full render (${routes} routes): ${render.seconds.toFixed(1)} s wall, peak RSS ${render.rssMb.toFixed(0)} MB`,
  );

  const build = measure(
    [
      join(ROOT, "node_modules/astro/bin/astro.mjs"),
      "build",
      "--root",
      "site",
      "--outDir",
      join(dataDir, "static"),
      "--silent",
    ],
    { HERALD_STATIC_BUILD: "1", DATABASE_URL: url, ASTRO_TELEMETRY_DISABLED: "1" },
  );
  console.log(
    `  plain astro build of the same data: ${build.seconds.toFixed(1)} s wall, peak RSS ${build.rssMb.toFixed(0)} MB`,
  );
} finally {
  await rm(dataDir, { recursive: true, force: true });
}
