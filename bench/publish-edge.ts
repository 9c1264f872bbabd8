// bench/publish-edge (`npm run bench -- publish-edge`): split-layout publish latency. The Worker in
// workerd (wrangler's unstable_startWorker) on a real sqld answers 201 to an incident update; `herald
// runner` on the same database (set up by `herald init`; HERALD_SENDER=off; it cannot be woken by the Worker, so it finds the
// render job at its next poll) renders and publishes to an S3-compatible server (s3rver, own process).
// For BENCH_UPDATES (default 50) updates, the time from the 201 until the index, the incident page and
// summary.json in the bucket all show the update: p50/p95/max, and where the time goes (the runner's
// own render and publish lines, HERALD_LOG_RENDERS=1; the rest is waiting for the poll).
import { mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { eq } from "drizzle-orm";
import { unstable_startWorker } from "wrangler";
import { createDb } from "../db/client.ts";
import { jobs } from "../db/schema.ts";
import { runHerald } from "../test/helpers/herald-cli.ts";
import { startHeraldProcess } from "../test/helpers/herald-process.ts";
import { startS3Server } from "../test/helpers/s3-server.ts";
import { startSqld } from "../test/helpers/sqld.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const UPDATES = Number(process.env.BENCH_UPDATES ?? 50);
const PREFIX = "status/";
const SECRET = "publish-edge-bench-secret-of-at-least-32-characters";

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return `p50 ${percentile(sorted, 50).toFixed(0)} ms, p95 ${percentile(sorted, 95).toFixed(0)} ms, max ${(sorted.at(-1) ?? Number.NaN).toFixed(0)} ms`;
};

const dir = await mkdtemp(join(tmpdir(), "herald-publish-edge-"));
const sqld = await startSqld(dir);
const s3 = await startS3Server(join(dir, "s3"));
// Set up as the deploy guide does: `herald init` on the remote database, one HERALD_SECRET on both sides.
const shared = { DATABASE_URL: sqld.url, HERALD_SECRET: SECRET };
const init = await runHerald(
  ["init", "--name", "Edge Status", "--public-url", "https://status.edge.test", "--json"],
  shared,
);
if (init.code !== 0) throw new Error(`herald init failed:\n${init.stderr}`);
const token = (JSON.parse(init.stdout) as { admin_token: string }).admin_token;
const db = createDb({ url: sqld.url });

process.env.WRANGLER_SEND_METRICS = "false";
process.env.WRANGLER_SEND_ERROR_REPORTS = "false";
const worker = await unstable_startWorker({
  config: join(ROOT, "wrangler.toml"),
  bindings: {
    DATABASE_URL: { type: "plain_text", value: sqld.url },
    HERALD_SECRET: { type: "plain_text", value: SECRET },
  },
  dev: {
    server: { hostname: "127.0.0.1", port: 0 },
    inspector: false,
    watch: false,
    persist: join(dir, "wrangler-state"),
    logLevel: "warn",
  },
});
await worker.ready;
const api = (await worker.url).toString().replace(/\/$/, "");
const runner = await startHeraldProcess(
  join(dir, "runner"),
  { ...shared, ...s3.env(PREFIX), HERALD_SENDER: "off", HERALD_BACKUP_EVERY: "0", HERALD_LOG_RENDERS: "1" },
  120_000,
  { command: "runner" },
);

async function post(path: string, body: unknown): Promise<{ id: string }> {
  const response = await fetch(`${api}${path}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as { id: string };
}

/** s3rver writes objects in place and now and then never answers a read racing a write of the same object. */
const READ_TIMEOUT_MS = 300;
let unanswered = 0;
/** A reader's GET of one object: "" while it is missing, or when s3rver fails a read racing a write of it. */
async function read(key: string): Promise<string> {
  const started = performance.now();
  try {
    const found = await s3.get(PREFIX + key, READ_TIMEOUT_MS);
    return found.status === 200 && found.whole ? found.body : "";
  } catch {
    if (performance.now() - started >= READ_TIMEOUT_MS) unanswered += 1;
    return "";
  }
}

/** Whether the runner has taken the update's render job: it holds its lease, or it is done (deleted). */
async function renderJobTaken(): Promise<boolean> {
  const rows = await db.select({ owner: jobs.leaseOwner }).from(jobs).where(eq(jobs.kind, "render"));
  return rows.every((row) => row.owner !== null);
}

/**
 * Waits until every key shows `marker`: the time it took in ms from `since`, and when (from `since`)
 * the runner had taken the render job, which the Worker's commit left for its next poll.
 */
async function visible(keys: string[], marker: string, since: number): Promise<{ total: number; taken: number }> {
  const pending = new Set(keys);
  let taken = Number.NaN;
  while (pending.size > 0) {
    if (performance.now() - since > 30_000) throw new Error(`"${marker}" not in ${[...pending].join(", ")} after 30 s`);
    if (Number.isNaN(taken) && (await renderJobTaken())) taken = performance.now() - since;
    for (const key of [...pending]) if ((await read(key)).includes(marker)) pending.delete(key);
    if (pending.size > 0) await new Promise((r) => setTimeout(r, 5));
  }
  const total = performance.now() - since;
  return { total, taken: Number.isNaN(taken) ? total : taken };
}

try {
  const component = await post("/api/components", { name: "API" });
  const incident = await post("/api/incidents", {
    name: "Elevated latency",
    components: { [component.id]: "degraded_performance" },
  });
  const keys = ["index.html", `incidents/${incident.id}/index.html`, "api/v2/summary.json"];
  await visible(keys, "Elevated latency", performance.now());
  const linesBefore = runner.output().split("\n").length;
  const latencies: number[] = [];
  const waits: number[] = [];
  for (let n = 1; n <= UPDATES; n++) {
    const marker = `Update number ${n} of the bench`;
    const started = performance.now();
    await post(`/api/incidents/${incident.id}/updates`, { status: "identified", body: marker });
    const seen = await visible(keys, marker, started);
    latencies.push(seen.total);
    waits.push(seen.taken);
    // Spread the updates over the runner's poll, as commanders' updates arrive.
    await new Promise((r) => setTimeout(r, 137));
  }
  const lines = runner.output().split("\n").slice(linesBefore);
  const renders = lines.flatMap((line) => {
    const ms = /^render: \d+ job\(s\), \d+ routes, \d+ written in (\d+) ms/.exec(line)?.[1];
    return ms ? [Number(ms)] : [];
  });
  const publishes = lines.flatMap((line) => {
    const match = /^publish: (\d+) written, \d+ deleted, \d+ held back in (\d+) ms/.exec(line);
    return match && Number(match[1]) > 3 ? [Number(match[2])] : [];
  });
  console.log(
    `Split-layout publish latency, ${UPDATES} updates (Worker 201 → index, incident page and summary.json in the bucket):`,
  );
  console.log(`  ${summary(latencies)}  (target p95 ≤ 1500 ms)`);
  console.log(
    `  render jobs (render + publish of the change's own pages, as the runner logs them): ${summary(renders)}`,
  );
  console.log(`  of which the upload to the bucket: ${summary(publishes)}`);
  console.log(`  201 → the runner took the render job (its 500 ms poll of the outbox): ${summary(waits)}`);
  console.log(
    `  render job taken → all three in the bucket: ${summary(latencies.map((total, i) => total - (waits[i] ?? 0)))}`,
  );
  console.log(
    `  reads s3rver left unanswered for ${READ_TIMEOUT_MS} ms (racing a write of that object; inside the latency): ${unanswered}`,
  );
  console.log(
    `  load average: ${loadavg()
      .map((n) => n.toFixed(2))
      .join(" ")}`,
  );
} finally {
  await runner.stop();
  await worker.dispose();
  db.$client.close();
  await s3.stop();
  await sqld.stop();
  await rm(dir, { recursive: true, force: true });
}
