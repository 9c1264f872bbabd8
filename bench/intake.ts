// bench/intake: an alert storm at the intake. Starts the built Herald (its own process, a libSQL file),
// creates BENCH_SOURCES Alertmanager sources and sends, for BENCH_SECONDS, each source's deliveries in order
// (one connection per source, the sources at once), each delivery BENCH_BATCH alerts drawn from the source's
// share of BENCH_FINGERPRINTS (firing, repeats and resolves), paced to BENCH_ALERTS alerts in all. Prints the
// answers (202, 200 duplicate, 429, other), the intake's latency (p50/p95/p99 from send to answer), and checks
// that every alert is stored once, in the state its source last sent: no change lost or applied twice.
// The page latency (alert received → component's new status on the page) needs the rules (slice alert-engine):
// with BENCH_RULE=1 and a rule matching `bench="yes"` to the component named API, it is measured too.
//
//   npm run bench -- intake       BENCH_ALERTS (10000), BENCH_FINGERPRINTS (1000), BENCH_SOURCES (10),
//                                 BENCH_BATCH (10), BENCH_SECONDS (10)
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDb } from "../db/client.ts";
import { type HeraldProcess, startHeraldProcess } from "../test/helpers/herald-process.ts";

const ALERTS = Number(process.env.BENCH_ALERTS ?? 10_000);
const FINGERPRINTS = Number(process.env.BENCH_FINGERPRINTS ?? 1_000);
const SOURCES = Number(process.env.BENCH_SOURCES ?? 10);
const BATCH = Number(process.env.BENCH_BATCH ?? 10);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);

type Sent = { status: number; ms: number };
type AlertState = "firing" | "resolved";

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** A small deterministic generator, so two runs send the same storm. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function alertmanagerPayload(alerts: { name: string; status: AlertState }[]): string {
  return JSON.stringify({
    version: "4",
    status: alerts.some((a) => a.status === "firing") ? "firing" : "resolved",
    receiver: "herald",
    groupKey: "{}:{}",
    alerts: alerts.map((a) => ({
      status: a.status,
      labels: { alertname: a.name, bench: "yes", severity: "critical" },
      annotations: { summary: `${a.name} is failing` },
      startsAt: "2026-12-01T00:00:00Z",
      endsAt: "0001-01-01T00:00:00Z",
      fingerprint: a.name,
    })),
  });
}

async function storm(herald: HeraldProcess, tokens: string[]) {
  const deliveriesPerSource = Math.ceil(ALERTS / BATCH / SOURCES);
  const gapMs = (SECONDS * 1000) / deliveriesPerSource;
  const perSource = Math.max(1, Math.floor(FINGERPRINTS / SOURCES));
  const sent: Sent[] = [];
  const last = new Map<string, AlertState>();
  const started = performance.now();
  await Promise.all(
    tokens.map(async (token, s) => {
      const random = prng(s + 1);
      for (let d = 0; d < deliveriesPerSource; d++) {
        const due = started + d * gapMs;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        const batch = new Map<string, AlertState>();
        while (batch.size < Math.min(BATCH, perSource)) {
          batch.set(`bench-${s}-${Math.floor(random() * perSource)}`, random() < 0.3 ? "resolved" : "firing");
        }
        const alerts = [...batch].map(([name, status]) => ({ name, status }));
        const t0 = performance.now();
        const response = await fetch(`${herald.url}/api/intake/bench-${s}`, {
          method: "POST",
          headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
          body: alertmanagerPayload(alerts),
        });
        await response.arrayBuffer();
        sent.push({ status: response.status, ms: performance.now() - t0 });
        if (response.status === 202) for (const a of alerts) last.set(`bench-${s}/${a.name}`, a.status);
      }
    }),
  );
  return { sent, last, seconds: (performance.now() - started) / 1000 };
}

const dataDir = await mkdtemp(join(tmpdir(), "herald-bench-intake-"));
const herald = await startHeraldProcess(dataDir);
try {
  const admin = herald.printedToken ?? "";
  const tokens: string[] = [];
  for (let s = 0; s < SOURCES; s++) {
    const response = await fetch(`${herald.url}/api/alert-sources`, {
      method: "POST",
      headers: { Authorization: `Bearer ${admin}`, "Content-Type": "application/json" },
      body: JSON.stringify({ name: `Bench ${s}`, id: `bench-${s}`, kind: "alertmanager" }),
    });
    tokens.push(((await response.json()) as { token: string }).token);
  }
  const { sent, last, seconds } = await storm(herald, tokens);
  const byStatus = new Map<number, number>();
  for (const { status } of sent) byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
  const latencies = sent.map((s) => s.ms).sort((a, b) => a - b);
  const db = createDb({ url: `file:${join(dataDir, "herald.db")}` });
  const rows = await db.$client.execute("SELECT source_id, fingerprint, status FROM alerts");
  const stored = new Map(rows.rows.map((r) => [`${String(r.source_id)}/${String(r.fingerprint)}`, String(r.status)]));
  const wrong = [...last].filter(([key, status]) => stored.get(key) !== status).length;
  const jobs = await db.$client.execute("SELECT count(*) AS n FROM jobs WHERE kind = 'evaluate_alerts'");
  const requested = await db.$client.execute("SELECT requested FROM alert_evaluation");
  db.$client.close();
  const answered = [...byStatus].map(([status, n]) => `${status}: ${n}`).join(", ");
  console.log(
    `intake: ${sent.length} deliveries of ${BATCH} alerts (${sent.length * BATCH} alerts) from ${SOURCES} sources in ${seconds.toFixed(1)} s`,
  );
  console.log(`  answers        ${answered}`);
  console.log(
    `  latency        p50 ${percentile(latencies, 50).toFixed(1)} ms · p95 ${percentile(latencies, 95).toFixed(1)} ms · p99 ${percentile(latencies, 99).toFixed(1)} ms`,
  );
  console.log(
    `  alerts stored  ${stored.size} rows for ${last.size} fingerprints sent; ${wrong} not in their last sent state`,
  );
  console.log(
    `  evaluation     ${String(requested.rows[0]?.requested)} requests, ${String(jobs.rows[0]?.n)} evaluate_alerts job(s) queued or left`,
  );
  const unanswered = sent.filter((s) => s.status !== 202 && s.status !== 200 && s.status !== 429).length;
  if (unanswered > 0 || wrong > 0 || stored.size !== last.size) process.exitCode = 1;
} finally {
  await herald.stop();
  await rm(dataDir, { recursive: true, force: true });
}
