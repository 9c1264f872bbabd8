// bench/serve: how close Herald's public server comes to the machine's limit.
// Seeds a page, starts the built Herald (its own process) and, in another process, a bare `node:http`
// server answering the same bytes with the same headers from memory. Then, for `/`,
// `/api/v2/summary.json` and `/history.rss`, runs autocannon (50 connections × 10 s, from this process,
// in a worker thread) against each, and prints req/s, p50, p99 and bytes per response, and the ratio.
// While the load on Herald runs, this process posts updates through the API and times 201 → visible.
//
//   npm run bench -- serve        BENCH_INCIDENTS (1000), BENCH_SECONDS (10), BENCH_CONNECTIONS (50),
//                                 BENCH_ENCODING (the Accept-Encoding sent: "br, gzip")
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { createDb, prepareLocalDb } from "../db/client.ts";
import { migrateDb } from "../server/migrate.ts";
import { type HeraldProcess, startHeraldProcess } from "../test/helpers/herald-process.ts";
import { SEED_PUBLIC_URL, seedHistory } from "./seed.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const INCIDENTS = Number(process.env.BENCH_INCIDENTS ?? 1_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const ENCODING = process.env.BENCH_ENCODING ?? "br, gzip";
const ROUTES = ["/", "/api/v2/summary.json", "/history.rss"];
/** What widgets and monitors poll. */
const HOTTEST = "/api/v2/summary.json";
const TOKEN = "hrld_bench_token_0123456789abcdefghij";
/** Headers the HTTP layer adds per connection, not part of what a file is served with. */
const HOP_HEADERS = new Set(["date", "connection", "keep-alive", "transfer-encoding"]);

type Captured = { headers: Record<string, string>; body: string };
type Row = { reqPerSec: number; p50: number; p99: number; bytesPerResponse: number; bodyBytes: number; errors: number };

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** One response exactly as sent (no decoding), with its headers. */
function capture(
  origin: string,
  path: string,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${origin}${path}`, { headers: { "Accept-Encoding": ENCODING } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

const BARE_SERVER = `
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
const routes = new Map(Object.entries(JSON.parse(readFileSync(process.argv[1], "utf8")))
  .map(([path, r]) => [path, { headers: r.headers, body: Buffer.from(r.body, "base64") }]));
const server = createServer((req, res) => {
  const route = routes.get(req.url);
  if (!route) { res.writeHead(404); res.end(); return; }
  res.writeHead(200, route.headers);
  res.end(route.body);
});
server.listen(0, "127.0.0.1", () => console.log("listening " + server.address().port));
`;

async function startBare(file: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ["--input-type=module", "-e", BARE_SERVER, file], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (chunk) => {
      out += chunk;
      const match = /listening (\d+)/.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    child.once("exit", (code) => reject(new Error(`the bare server exited (${code})`)));
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

async function load(url: string, seconds: number): Promise<Row> {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    headers: { "accept-encoding": ENCODING },
    // A worker thread: this process's own event loop stays free to time publishing meanwhile.
    workers: 1,
  });
  const responses = result.requests.total || 1;
  return {
    reqPerSec: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    bytesPerResponse: result.throughput.total / responses,
    bodyBytes: 0,
    errors: result.errors + result.non2xx,
  };
}

/** Posts updates one after another until `until()`, timing each from the API's 201 to visible everywhere. */
async function publishWhile(herald: HeraldProcess, incidentIds: string[], running: () => boolean): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; running(); i++) {
    const incidentId = incidentIds[i % incidentIds.length] ?? "";
    const marker = `serve-marker-${i}-${Date.now().toString(36)}`;
    const response = await fetch(`${herald.url}/api/incidents/${incidentId}/updates`, {
      method: "POST",
      headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" },
      body: JSON.stringify({ status: i % 2 === 0 ? "monitoring" : "identified", body: `Update ${i}: ${marker}.` }),
    });
    const accepted = performance.now();
    if (response.status !== 201) throw new Error(`update ${i}: HTTP ${response.status} ${await response.text()}`);
    const surfaces = ["/", `/incidents/${incidentId}/`, "/history.rss", "/api/v2/summary.json"];
    const pending = new Set(surfaces);
    while (pending.size > 0) {
      for (const path of [...pending]) {
        if ((await fetch(`${herald.url}${path}`).then((r) => r.text())).includes(marker)) pending.delete(path);
      }
      if (performance.now() - accepted > 30_000)
        throw new Error(`update ${i} not visible after 30 s on ${[...pending]}`);
      if (pending.size > 0) await new Promise((r) => setTimeout(r, 5));
    }
    latencies.push(performance.now() - accepted);
    // About two updates a second: an incident commander's pace times a few, not a flood.
    await new Promise((r) => setTimeout(r, 300));
  }
  return latencies;
}

const fmt = (n: number, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : "–";

const dataDir = await mkdtemp(join(tmpdir(), "herald-bench-serve-"));
const url = `file:${join(dataDir, "herald.db")}`;
let herald: HeraldProcess | null = null;
let bare: ChildProcess | null = null;
try {
  console.log(
    `bench/serve: ${CONNECTIONS} connections × ${SECONDS} s per route, Accept-Encoding "${ENCODING}", ` +
      `${INCIDENTS.toLocaleString("en-US")} incidents × 5 updates; ${availableParallelism()} cores, ` +
      `load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")} (numbers from a busy machine are indicative only)`,
  );
  const db = createDb({ url });
  await prepareLocalDb(db, url);
  await migrateDb(db, join(ROOT, "db/migrations"));
  const { openIds } = await seedHistory(db, { count: INCIDENTS, open: 3, now: new Date() });
  db.$client.close();
  herald = await startHeraldProcess(dataDir, { HERALD_ADMIN_TOKEN: TOKEN, PUBLIC_URL: SEED_PUBLIC_URL }, 600_000);
  const heraldUrl = herald.url;

  // The bytes and headers Herald serves for each route, for the bare server to send the same.
  const captured: Record<string, Captured> = {};
  const bodyBytes: Record<string, number> = {};
  for (const path of ROUTES) {
    const response = await capture(heraldUrl, path);
    if (response.status !== 200) throw new Error(`${path}: HTTP ${response.status}`);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined && !HOP_HEADERS.has(name))
        headers[name] = Array.isArray(value) ? value.join(", ") : value;
    }
    captured[path] = { headers, body: response.body.toString("base64") };
    bodyBytes[path] = response.body.byteLength;
  }
  const routesFile = join(dataDir, "bare-routes.json");
  await writeFile(routesFile, JSON.stringify(captured));
  const bareServer = await startBare(routesFile);
  bare = bareServer.child;

  const results: { path: string; herald: Row; bare: Row }[] = [];
  for (const path of ROUTES) {
    // Warm both up (JIT, connection setup, the server's memory cache) before measuring.
    await load(`${heraldUrl}${path}`, 1);
    await load(`${bareServer.url}${path}`, 1);
    const heraldRow = await load(`${heraldUrl}${path}`, SECONDS);
    const bareRow = await load(`${bareServer.url}${path}`, SECONDS);
    heraldRow.bodyBytes = bareRow.bodyBytes = bodyBytes[path] ?? 0;
    results.push({ path, herald: heraldRow, bare: bareRow });
  }
  // Then the same load on the hottest route while a commander publishes: what customers and the
  // commander see during an incident (renders share the server's one thread with serving).
  let running = true;
  const publishing = publishWhile(herald, openIds, () => running);
  const underPublish = await load(`${heraldUrl}${HOTTEST}`, SECONDS);
  running = false;
  const publishLatencies = await publishing;
  const header = ["route", "server", "req/s", "p50 ms", "p99 ms", "body B", "bytes/resp", "errors", "Herald/bare"];
  const lines = [header];
  for (const { path, herald: h, bare: b } of results) {
    for (const [name, row] of [
      ["Herald", h],
      ["bare node:http", b],
    ] as const) {
      lines.push([
        name === "Herald" ? path : "",
        name,
        fmt(row.reqPerSec),
        fmt(row.p50, 1),
        fmt(row.p99, 1),
        fmt(row.bodyBytes),
        fmt(row.bytesPerResponse),
        String(row.errors),
        name === "Herald" ? fmt(h.reqPerSec / b.reqPerSec, 2) : "",
      ]);
    }
  }
  const widths = header.map((_, i) => Math.max(...lines.map((line) => (line[i] ?? "").length)));
  for (const line of lines) console.log(`  ${line.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join("  ")}`);

  const sorted = [...publishLatencies].sort((a, b) => a - b);
  console.log(
    `  ${HOTTEST} while publishing: ${fmt(underPublish.reqPerSec)} req/s, p50 ${fmt(underPublish.p50, 1)} ms, ` +
      `p99 ${fmt(underPublish.p99, 1)} ms, ${underPublish.errors} errors`,
  );
  console.log(
    `  publish under that load, 201 → visible on index, incident page, RSS and summary.json (${sorted.length} updates): ` +
      `p50 ${fmt(percentile(sorted, 50))} ms, p95 ${fmt(percentile(sorted, 95))} ms, max ${fmt(sorted.at(-1) ?? Number.NaN)} ms`,
  );
  console.log("  targets:");
  for (const { path, herald: h, bare: b } of results) {
    const ratio = h.reqPerSec / b.reqPerSec;
    console.log(
      `    ${path}: Herald/bare ${fmt(ratio, 2)} (≥ 0.5: ${ratio >= 0.5 ? "met" : "missed"}), ` +
        `p99 ${fmt(h.p99, 1)} ms (≤ 10: ${h.p99 <= 10 ? "met" : "missed"})`,
    );
  }
  const p95 = percentile(sorted, 95);
  console.log(`    publish p95 ${fmt(p95)} ms (≤ 300: ${p95 <= 300 ? "met" : "missed"})`);
} finally {
  bare?.kill();
  await herald?.stop();
  await rm(dataDir, { recursive: true, force: true });
}
