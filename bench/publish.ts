// bench/publish: how fast an accepted update reaches every public surface, and what a full render costs,
// as history grows. For each size in BENCH_SIZES (default 10,000 and 100,000 incidents × 5 updates;
// BENCH_INCIDENTS=N runs one size), seeds a page, starts Herald, posts BENCH_POSTS updates through the
// HTTP API one after another and measures, for each, the time from the API's 201 until the served index,
// the incident page, the RSS feed and the static summary.json all show it. Then times a full render (what
// Herald does at start) in its own process, bundled as Herald is, with its peak RSS. Prints one table for all sizes.
// BENCH_ASTRO_BUILD=1 also times a plain `astro build` of the same data (slow at 100,000).
import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { createDb, prepareLocalDb } from "../db/client.ts";
import { migrateDb } from "../server/migrate.ts";
import { type HeraldProcess, START_ENV, START_NODE_FLAGS, startHeraldProcess } from "../test/helpers/herald-process.ts";
import { SEED_PUBLIC_URL, seedHistory } from "./seed.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SIZES = (process.env.BENCH_SIZES ?? process.env.BENCH_INCIDENTS ?? "10000,100000")
  .split(",")
  .map((s) => Number(s.trim()))
  .filter((n) => Number.isInteger(n) && n > 0);
const POSTS = Number(process.env.BENCH_POSTS ?? 50);
const ASTRO_BUILD = process.env.BENCH_ASTRO_BUILD === "1";
const TOKEN = "hrld_bench_token_0123456789abcdefghij";
const MAX_RSS = join(ROOT, "bench/max-rss.mjs");

type Result = {
  incidents: number;
  seedS: number;
  startS: number;
  visible: number[];
  renders: number[];
  serverRssMb: number;
  fullRender: { routes: number; seconds: number; rssMb: number };
  astroBuild: { seconds: number; rssMb: number } | null;
};

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

function rssFile(): string {
  return join(tmpdir(), `herald-rss-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`);
}

async function readRss(file: string): Promise<number> {
  try {
    return Number(await readFile(file, "utf8"));
  } catch {
    return Number.NaN;
  } finally {
    await rm(file, { force: true });
  }
}

/** Runs a Node command to completion and returns its wall time and peak RSS. */
async function measure(
  args: string[],
  env: Record<string, string>,
): Promise<{ seconds: number; rssMb: number; stdout: string }> {
  const file = rssFile();
  const started = performance.now();
  const result = spawnSync(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env, HERALD_RSS_FILE: file, NODE_OPTIONS: `--import=${MAX_RSS}` },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(`${args.join(" ")} failed:\n${result.stdout}\n${result.stderr}`);
  return { seconds, rssMb: await readRss(file), stdout: result.stdout };
}

let bundled: Promise<string> | null = null;

/** bench/full-render.ts bundled like dist/herald.mjs (scripts/build.mjs), beside it so packages resolve. */
function fullRenderBundle(): Promise<string> {
  bundled ??= (async () => {
    const outfile = join(ROOT, "dist/bench-full-render.mjs");
    await build({
      entryPoints: [join(ROOT, "bench/full-render.ts")],
      outfile,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      external: ["@libsql/client", "libsql"],
      banner: {
        js: "import { createRequire as __heraldRequire } from 'node:module'; const require = __heraldRequire(import.meta.url);",
      },
      logLevel: "warning",
    });
    return outfile;
  })();
  return bundled;
}

/** Waits until Herald has no render left from starting up (a new day, the first full render, component pages). */
async function settle(herald: HeraldProcess): Promise<void> {
  let last = herald.output().length;
  for (;;) {
    await new Promise((r) => setTimeout(r, 1500));
    if (herald.output().length === last) return;
    last = herald.output().length;
  }
}

/** The last ETag and body seen of each URL (a poll that answers 304 returns the body it confirmed). */
const seen = new Map<string, { etag: string; body: string }>();

async function revalidate(url: string): Promise<string> {
  const last = seen.get(url);
  const response = await fetch(url, last ? { headers: { "If-None-Match": last.etag } } : {});
  if (response.status === 304 && last) return last.body;
  const body = await response.text();
  const etag = response.headers.get("etag");
  if (etag) seen.set(url, { etag, body });
  return body;
}

/** Posts one update and waits until every public surface shows it; returns the ms from the 201. */
async function publishOne(herald: HeraldProcess, dataDir: string, incidentId: string, i: number): Promise<number> {
  const marker = `bench-marker-${i}-${Date.now().toString(36)}`;
  const response = await fetch(`${herald.url}/api/incidents/${incidentId}/updates`, {
    method: "POST",
    headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" },
    body: JSON.stringify({ status: i % 2 === 0 ? "monitoring" : "identified", body: `Update ${i}: ${marker}.` }),
  });
  const accepted = performance.now();
  if (response.status !== 201) throw new Error(`update ${i}: HTTP ${response.status} ${await response.text()}`);
  // What a customer (or a CDN pulling from the server) gets: the served pages and the static JSON file.
  // Each page is polled as a browser or CDN revalidates (If-None-Match: a 304 until it changes), so the
  // polling itself costs the machine little while it measures.
  const served = (route: string) => () => revalidate(`${herald.url}${route}`);
  const surfaces: Record<string, () => Promise<string>> = {
    index: served("/"),
    incident: served(`/incidents/${incidentId}/`),
    feed: served("/history.rss"),
    summary: () => readFile(join(dataDir, "site/api/v2/summary.json"), "utf8").catch(() => ""),
  };
  const pending = new Set(Object.keys(surfaces));
  while (pending.size > 0) {
    // Every surface at once, as readers of each would look.
    await Promise.all(
      [...pending].map(async (name) => {
        if ((await surfaces[name]?.())?.includes(marker)) pending.delete(name);
      }),
    );
    if (performance.now() - accepted > 30_000)
      throw new Error(`update ${i} not visible after 30 s on: ${[...pending]}`);
    // Poll like an impatient reader, without starving the server the bench is measuring.
    if (pending.size > 0) await new Promise((r) => setTimeout(r, 5));
  }
  return performance.now() - accepted;
}

async function benchSize(incidents: number): Promise<Result> {
  const dataDir = await mkdtemp(join(tmpdir(), "herald-bench-"));
  const url = `file:${join(dataDir, "herald.db")}`;
  try {
    console.log(`bench/publish: seeding ${incidents.toLocaleString("en-US")} incidents × 5 updates…`);
    let started = performance.now();
    const db = createDb({ url });
    await prepareLocalDb(db, url);
    await migrateDb(db, join(ROOT, "db/migrations"));
    const { openIds } = await seedHistory(db, { count: incidents, open: 3, now: new Date() });
    db.$client.close();
    const seedS = (performance.now() - started) / 1000;
    console.log(`  seeded in ${seedS.toFixed(1)} s`);

    started = performance.now();
    const serverRss = rssFile();
    const herald = await startHeraldProcess(
      dataDir,
      {
        HERALD_ADMIN_TOKEN: TOKEN,
        PUBLIC_URL: SEED_PUBLIC_URL,
        HERALD_LOG_RENDERS: "1",
        HERALD_RSS_FILE: serverRss,
        NODE_OPTIONS: `--import=${MAX_RSS}`,
      },
      900_000,
    );
    const startS = (performance.now() - started) / 1000;
    console.log(`  Herald started (migrate + full render of every page) in ${startS.toFixed(1)} s`);
    let visible: number[] = [];
    try {
      await settle(herald);
      for (let i = 0; i < POSTS; i++) {
        visible.push(await publishOne(herald, dataDir, openIds[i % openIds.length] ?? "", i));
      }
    } finally {
      await herald.stop();
    }
    visible = visible.sort((a, b) => a - b);
    const renders = [...herald.output().matchAll(/render: \d+ job\(s\), \d+ routes, \d+ written in (\d+) ms/g)]
      .slice(-POSTS)
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b);
    console.log(`  all ${POSTS} 201 → visible, sorted (ms): ${visible.map((t) => t.toFixed(0)).join(" ")}`);

    // One process running the render bundled and with the flags of `npm start`, as Herald runs it
    // (unbundled drizzle alone costs ~200 MB).
    const render = await measure(
      [...START_NODE_FLAGS, await fullRenderBundle(), url, join(dataDir, "full"), join(ROOT, "site/dist")],
      START_ENV,
    );
    const routes = Number(JSON.parse(render.stdout.trim().split("\n").at(-1) ?? "{}").routes);
    console.log(
      `  full render (${routes} routes): ${render.seconds.toFixed(1)} s, peak RSS ${render.rssMb.toFixed(0)} MB`,
    );

    let astroBuild: Result["astroBuild"] = null;
    if (ASTRO_BUILD) {
      const build = await measure(
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
      astroBuild = { seconds: build.seconds, rssMb: build.rssMb };
    }
    return {
      incidents,
      seedS,
      startS,
      visible,
      renders,
      serverRssMb: await readRss(serverRss),
      fullRender: { routes, seconds: render.seconds, rssMb: render.rssMb },
      astroBuild,
    };
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

function table(results: Result[]): string {
  const ms = (n: number) => `${Number.isFinite(n) ? n.toFixed(0) : "?"} ms`;
  const rows: [string, (r: Result) => string][] = [
    ["seed", (r) => `${r.seedS.toFixed(1)} s`],
    ["Herald start (migrate + full render)", (r) => `${r.startS.toFixed(1)} s`],
    ["201 → visible p50", (r) => ms(percentile(r.visible, 50))],
    ["201 → visible p95", (r) => ms(percentile(r.visible, 95))],
    ["201 → visible max", (r) => ms(r.visible.at(-1) ?? Number.NaN)],
    ["render job p50", (r) => ms(percentile(r.renders, 50))],
    ["render job p95", (r) => ms(percentile(r.renders, 95))],
    ["full render", (r) => `${r.fullRender.seconds.toFixed(1)} s (${r.fullRender.routes} routes)`],
    ["full render peak RSS", (r) => `${r.fullRender.rssMb.toFixed(0)} MB`],
    ["server peak RSS (start + posts)", (r) => `${r.serverRssMb.toFixed(0)} MB`],
  ];
  if (results.some((r) => r.astroBuild)) {
    rows.push(["plain astro build", (r) => (r.astroBuild ? `${r.astroBuild.seconds.toFixed(1)} s` : "–")]);
    rows.push(["plain astro build peak RSS", (r) => (r.astroBuild ? `${r.astroBuild.rssMb.toFixed(0)} MB` : "–")]);
  }
  const header = ["incidents × 5 updates", ...results.map((r) => r.incidents.toLocaleString("en-US"))];
  const body = rows.map(([label, cell]) => [label, ...results.map(cell)]);
  const widths = header.map((_, i) => Math.max(...[header, ...body].map((row) => (row[i] ?? "").length)));
  const line = (row: string[]) =>
    `| ${row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join(" | ")} |`;
  return [
    line(header),
    `|${widths.map((w, i) => (i === 0 ? "-".repeat(w + 2) : `${"-".repeat(w + 1)}:`)).join("|")}|`,
    ...body.map(line),
  ].join("\n");
}

if (SIZES.length === 0) throw new Error("BENCH_SIZES lists no size (e.g. BENCH_SIZES=10000,100000)");
const results: Result[] = [];
for (const size of SIZES) results.push(await benchSize(size));
console.log(`\nbench/publish, ${POSTS} updates per size (targets: 201 → visible p95 ≤ 100 ms; full render ≤ 300 MB)\n`);
console.log(table(results));
