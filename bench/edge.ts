// bench/edge: the Worker in workerd on sqld against Herald's Node server, under the same load.
// Seeds the same page into a sqld database and a libSQL file, then starts: the Worker (wrangler's
// unstable_startWorker, wrangler.toml) on sqld; `herald start` on the file (the embedded default); and, unless
// BENCH_NODE_SQLD=0, `herald start` on the same sqld (the API on Node, the database remote). For each, autocannon
// runs BENCH_CONNECTIONS connections for BENCH_SECONDS on `/api/v2/summary.json` (what widgets poll) and on a
// mixed admin workload (per connection: list incidents, list components, open an incident, in turn), and prints
// req/s, p50/p95/p99 and errors (target 0), with each target's req/s as a ratio of the Worker's.
//
//   npm run bench -- edge         BENCH_SECONDS (20), BENCH_CONNECTIONS (200), BENCH_INCIDENTS (200), BENCH_NODE_SQLD (1)
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { systemClock } from "../core/actions/clock.ts";
import { SYSTEM_ACTOR } from "../core/actions/context.ts";
import { ensureAdminToken } from "../core/tokens/ensure-admin-token.ts";
import { createDb, prepareLocalDb } from "../db/client.ts";
import { migrateDb } from "../server/migrate.ts";
import { type HeraldProcess, startHeraldProcess } from "../test/helpers/herald-process.ts";
import { type HeraldWorker, startHeraldWorker, TEST_HERALD_SECRET } from "../test/helpers/herald-worker.ts";
import { type Sqld, startSqld } from "../test/helpers/sqld.ts";
import { SEED_PUBLIC_URL, seedHistory } from "./seed.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 200);
const INCIDENTS = Number(process.env.BENCH_INCIDENTS ?? 200);
const NODE_ON_SQLD = process.env.BENCH_NODE_SQLD !== "0";
const TOKEN = "hrld_bench_token_0123456789abcdefghij";

type Row = {
  reqPerSec: number;
  p50: number;
  p95: number;
  p99: number;
  requests: number;
  errors: number;
  detail: string;
};

/** The `q` quantile (0–1) of `sorted` (ascending), nearest rank. */
function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}
type Target = { name: string; url: string };

async function load(url: string, requests: autocannon.Request[] | undefined, seconds: number): Promise<Row> {
  // autocannon's own percentiles skip p95: every answer's time is kept and ranked here instead.
  const times: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const run = autocannon(
      {
        url,
        connections: CONNECTIONS,
        duration: seconds,
        // A slow answer is latency, not an error: errors are failed connections, timeouts past 30 s and non-2xx.
        timeout: 30,
        headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
        ...(requests ? { requests } : {}),
      },
      (error: unknown, done) => (error ? reject(error) : resolve(done)),
    );
    run.on("response", (_client, _status, _bytes, responseTime) => times.push(responseTime));
  });
  times.sort((a, b) => a - b);
  return {
    reqPerSec: result.requests.average,
    p50: quantile(times, 0.5),
    p95: quantile(times, 0.95),
    p99: quantile(times, 0.99),
    requests: result.requests.total,
    errors: result.errors + result.non2xx,
    detail: `${result.timeouts} timeouts, ${result.errors - result.timeouts} other failures, ${result.non2xx} non-2xx ${JSON.stringify(
      Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).filter(([code]) => !code.startsWith("2"))),
    )}`,
  };
}

let opened = 0;
/** Per connection, in turn: two admin reads and one write (a new incident: no two writers race on one row). */
const MIXED: autocannon.Request[] = [
  { method: "GET", path: "/api/incidents?limit=10" },
  { method: "GET", path: "/api/components" },
  {
    method: "POST",
    path: "/api/incidents",
    setupRequest: (request) => ({ ...request, body: JSON.stringify({ name: `Bench incident ${++opened}` }) }),
  },
];
const WORKLOADS: { name: string; requests?: autocannon.Request[]; path: string }[] = [
  { name: "/api/v2/summary.json", path: "/api/v2/summary.json" },
  { name: "mixed admin (2 reads : 1 write)", requests: MIXED, path: "" },
];

async function seed(url: string): Promise<void> {
  const db = createDb({ url });
  await prepareLocalDb(db, url);
  await migrateDb(db, join(ROOT, "db/migrations"));
  await seedHistory(db, { count: INCIDENTS, open: 3, now: new Date() });
  // The token every target is loaded with (the Worker has no start-up step that would make it).
  await ensureAdminToken({ db, clock: systemClock, actor: SYSTEM_ACTOR }, TOKEN);
  db.$client.close();
}

const fmt = (n: number, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : "–";

const dataDir = await mkdtemp(join(tmpdir(), "herald-bench-edge-"));
let sqld: Sqld | null = null;
let worker: HeraldWorker | null = null;
const processes: HeraldProcess[] = [];
try {
  console.log(
    `bench/edge: ${CONNECTIONS} connections × ${SECONDS} s per workload, ${INCIDENTS} incidents; ` +
      `${availableParallelism()} cores, load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")} (client, servers and database share this machine: indicative only)`,
  );
  sqld = await startSqld(join(dataDir, "sqld"), { maxConcurrency: 4096 });
  await seed(sqld.url);
  const fileUrl = `file:${join(dataDir, "node", "herald.db")}`;
  await mkdir(join(dataDir, "node"), { recursive: true });
  await seed(fileUrl);
  const env = { HERALD_ADMIN_TOKEN: TOKEN, PUBLIC_URL: SEED_PUBLIC_URL };
  const targets: Target[] = [];
  const onFile = await startHeraldProcess(join(dataDir, "node"), env, 300_000);
  processes.push(onFile);
  if (NODE_ON_SQLD) {
    const onSqld = await startHeraldProcess(
      join(dataDir, "node-sqld"),
      { ...env, DATABASE_URL: sqld.url, HERALD_SECRET: TEST_HERALD_SECRET },
      300_000,
    );
    processes.push(onSqld);
    targets.push({ name: "Node on sqld", url: onSqld.url });
  }
  worker = await startHeraldWorker(sqld.url, join(dataDir, "wrangler-state"));
  targets.unshift({ name: "Worker (workerd) on sqld", url: worker.url });
  targets.push({ name: "Node on a libSQL file", url: onFile.url });

  const results: { workload: string; target: string; row: Row }[] = [];
  for (const workload of WORKLOADS) {
    for (const target of targets) {
      await load(`${target.url}${workload.path}`, workload.requests, 2); // warm-up: JIT, connections, caches
      results.push({
        workload: workload.name,
        target: target.name,
        row: await load(`${target.url}${workload.path}`, workload.requests, SECONDS),
      });
    }
  }

  const header = ["workload", "server", "req/s", "p50 ms", "p95 ms", "p99 ms", "requests", "errors", "× Worker"];
  const lines = [header];
  for (const { workload, target, row } of results) {
    const onWorker = results.find((r) => r.workload === workload && r.target === targets[0]?.name)?.row;
    lines.push([
      target === targets[0]?.name ? workload : "",
      target,
      fmt(row.reqPerSec),
      fmt(row.p50, 1),
      fmt(row.p95, 1),
      fmt(row.p99, 1),
      fmt(row.requests),
      String(row.errors),
      onWorker ? fmt(row.reqPerSec / onWorker.reqPerSec, 2) : "",
    ]);
  }
  const widths = header.map((_, i) => Math.max(...lines.map((line) => (line[i] ?? "").length)));
  for (const line of lines) console.log(`  ${line.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join("  ")}`);
  const errors = results.reduce((sum, r) => sum + r.row.errors, 0);
  for (const { workload, target, row } of results) {
    if (row.errors > 0) console.log(`  ${workload} on ${target}: ${row.detail}`);
  }
  console.log(`  target: 0 errors (${errors === 0 ? "met" : `missed: ${errors}`})`);
} finally {
  await worker?.dispose();
  for (const herald of processes) await herald.stop();
  await sqld?.stop();
  await rm(dataDir, { recursive: true, force: true });
}
