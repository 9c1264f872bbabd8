// bench/intake: an alert storm. Starts the built Herald (`npm start`'s process, a libSQL file), sets up
// BENCH_COMPONENTS components with one rule each (`component="cN"`) and BENCH_SOURCES Alertmanager sources, then sends
// BENCH_ALERTS alerts (10,000: BENCH_FINGERPRINTS = 1,000 fingerprints, each fired, repeated and resolved) within
// BENCH_SECONDS (10), as Alertmanager webhooks of BENCH_BATCH alerts, each source's deliveries in order. Meanwhile a
// probe alert flips one more component every 500 ms and the time from its 202 to the component's new status in the
// published summary.json is measured. Prints how every alert was answered (2xx or 429, nothing else), the intake's
// latency, the probe's page latency (p50/p95/max), and checks the database afterwards: every alert stored in the
// state last sent, no component status change recorded twice, every component at the worst status of the alerts
// still firing on it.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDb } from "../db/client.ts";
import { startHeraldProcess } from "../test/helpers/herald-process.ts";

const COMPONENTS = Number(process.env.BENCH_COMPONENTS ?? 20);
const SOURCES = Number(process.env.BENCH_SOURCES ?? 10);
const ALERTS = Number(process.env.BENCH_ALERTS ?? 10_000);
const FINGERPRINTS = Number(process.env.BENCH_FINGERPRINTS ?? 1_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const BATCH = Number(process.env.BENCH_BATCH ?? 10);
const TOKEN = "hrld_bench_token_0123456789abcdefghij";
const PROBE_EVERY_MS = 500;

type Severity = "critical" | "warning" | "info";
type Status = "firing" | "resolved";
type Alert = { fingerprint: string; status: Status; labels: Record<string, string> };

const SEVERITIES: Severity[] = ["critical", "warning", "info"];
const STATUS_OF: Record<Severity, string> = {
  critical: "major_outage",
  warning: "partial_outage",
  info: "degraded_performance",
};
const RANK = ["operational", "under_maintenance", "degraded_performance", "partial_outage", "major_outage"];
// Each fingerprint's life: fired, repeated, resolved, fired again, … (10 deliveries, ending firing for a third).
const LIVES: Status[][] = [
  ["firing", "firing", "firing", "resolved", "resolved", "firing", "firing", "resolved", "firing", "resolved"],
  ["firing", "resolved", "firing", "firing", "resolved", "resolved", "firing", "firing", "firing", "firing"],
  ["firing", "firing", "resolved", "firing", "resolved", "firing", "resolved", "resolved", "firing", "resolved"],
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

async function api<T>(base: string, method: string, path: string, body?: unknown, token = TOKEN): Promise<T> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : {}) as T;
}

function alertOf(f: number, status: Status): Alert {
  const severity = SEVERITIES[f % 3] ?? "critical";
  return {
    fingerprint: `fp-${f}`,
    status,
    labels: { alertname: `Alert${f}`, component: `c${f % COMPONENTS}`, severity },
  };
}

/** Alertmanager's webhook (version 4) carrying `alerts`. */
function alertmanagerPayload(alerts: Alert[]): string {
  return JSON.stringify({
    version: "4",
    status: alerts.some((a) => a.status === "firing") ? "firing" : "resolved",
    receiver: "herald",
    groupKey: '{}:{alertname="bench"}',
    alerts: alerts.map((a) => ({
      status: a.status,
      labels: a.labels,
      annotations: { summary: `${a.labels.alertname} is failing` },
      startsAt: "2026-12-01T00:00:00Z",
      endsAt: "0001-01-01T00:00:00Z",
      generatorURL: "http://prometheus.example/graph",
      fingerprint: a.fingerprint,
    })),
  });
}

async function componentStatusOnPage(dataDir: string, id: string): Promise<string | null> {
  try {
    const summary = JSON.parse(await readFile(join(dataDir, "site/api/v2/summary.json"), "utf8")) as {
      components: { id: string; status: string }[];
    };
    return summary.components.find((c) => c.id === id)?.status ?? null;
  } catch {
    return null;
  }
}

const dataDir = await mkdtemp(join(tmpdir(), "herald-bench-intake-"));
const herald = await startHeraldProcess(dataDir, { HERALD_ADMIN_TOKEN: TOKEN }, 120_000);
try {
  const base = herald.url;
  const componentIds: string[] = [];
  for (let i = 0; i < COMPONENTS + 1; i++) {
    const name = i < COMPONENTS ? `Service c${i}` : "Probe";
    componentIds.push((await api<{ id: string }>(base, "POST", "/api/components", { name })).id);
  }
  const probeComponent = componentIds[COMPONENTS] ?? "";
  const statuses = { critical: "major_outage", warning: "partial_outage", info: "degraded_performance" };
  for (let i = 0; i < COMPONENTS; i++) {
    await api(base, "POST", "/api/alert-rules", {
      name: `c${i}`,
      matchers: [`component="c${i}"`],
      component_ids: [componentIds[i]],
      statuses: { ...statuses, default: "partial_outage" },
    });
  }
  await api(base, "POST", "/api/alert-rules", {
    name: "probe",
    matchers: ['component="probe"'],
    component_ids: [probeComponent],
    statuses: { ...statuses, default: "major_outage" },
  });
  const tokens: string[] = [];
  for (let s = 0; s <= SOURCES; s++) {
    const id = s < SOURCES ? `bench-${s}` : "bench-probe";
    const kind = "alertmanager";
    tokens.push((await api<{ token: string }>(base, "POST", "/api/alert-sources", { id, name: id, kind })).token);
  }

  // Each source sends its own fingerprints in order, so one fingerprint's deliveries never overtake each other.
  const answers = new Map<number, number>();
  const requestMs: number[] = [];
  const lastAccepted = new Map<number, Status>();
  const perSource = Math.ceil(FINGERPRINTS / SOURCES);
  const deliveriesPerFingerprint = Math.ceil(ALERTS / FINGERPRINTS);
  const started = performance.now();
  const senders = Array.from({ length: SOURCES }, async (_, s) => {
    const mine = Array.from({ length: perSource }, (_, k) => s * perSource + k).filter((f) => f < FINGERPRINTS);
    const events: Alert[] = [];
    for (let round = 0; round < deliveriesPerFingerprint; round++) {
      for (const f of mine) events.push(alertOf(f, LIVES[f % LIVES.length]?.[round % 10] ?? "firing"));
    }
    const requests = Math.ceil(events.length / BATCH);
    const gapMs = (SECONDS * 1000) / requests;
    for (let r = 0; r < requests; r++) {
      const due = started + r * gapMs;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const batch = events.slice(r * BATCH, (r + 1) * BATCH);
      const sent = performance.now();
      const response = await fetch(`${base}/api/intake/bench-${s}`, {
        method: "POST",
        headers: { Authorization: `Bearer ${tokens[s]}`, "Content-Type": "application/json" },
        body: alertmanagerPayload(batch),
      });
      await response.arrayBuffer();
      requestMs.push(performance.now() - sent);
      answers.set(response.status, (answers.get(response.status) ?? 0) + batch.length);
      if (response.ok) for (const a of batch) lastAccepted.set(Number(a.fingerprint.slice(3)), a.status);
    }
  });

  const probeLatency: number[] = [];
  let storming = true;
  const probe = (async () => {
    let firing = false;
    while (storming) {
      firing = !firing;
      const expected = firing ? "major_outage" : "operational";
      const response = await fetch(`${base}/api/intake/bench-probe`, {
        method: "POST",
        headers: { Authorization: `Bearer ${tokens[SOURCES]}`, "Content-Type": "application/json" },
        body: alertmanagerPayload([
          {
            fingerprint: "probe",
            status: firing ? "firing" : "resolved",
            labels: { alertname: "Probe", component: "probe" },
          },
        ]),
      });
      const accepted = performance.now();
      if (!response.ok) throw new Error(`probe: ${response.status} ${await response.text()}`);
      while ((await componentStatusOnPage(dataDir, probeComponent)) !== expected) {
        if (performance.now() - accepted > 60_000) throw new Error(`probe: page not ${expected} after 60 s`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      probeLatency.push(performance.now() - accepted);
      await new Promise((resolve) => setTimeout(resolve, PROBE_EVERY_MS));
    }
  })();
  await Promise.all(senders);
  const sendSeconds = (performance.now() - started) / 1000;
  storming = false;
  await probe;

  // Settled: every evaluation requested has run, and the page shows it.
  const db = createDb({ url: `file:${join(dataDir, "herald.db")}` });
  const settleStart = performance.now();
  for (;;) {
    const row = await db.$client.execute("SELECT requested, evaluated FROM alert_evaluation WHERE id = 'alerts'");
    const jobs = await db.$client.execute(
      "SELECT count(*) AS n FROM jobs WHERE kind = 'evaluate_alerts' AND state = 'pending'",
    );
    if (row.rows[0]?.requested === row.rows[0]?.evaluated && Number(jobs.rows[0]?.n) === 0) break;
    if (performance.now() - settleStart > 120_000) throw new Error("the evaluation did not settle within 120 s");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const settledS = (performance.now() - started) / 1000;

  const stored = await db.$client.execute(
    "SELECT fingerprint, status FROM alerts WHERE source_id LIKE 'bench-%' AND source_id != 'bench-probe'",
  );
  const storedStatus = new Map(stored.rows.map((r) => [String(r.fingerprint), String(r.status)]));
  const notLastSent = [...lastAccepted].filter(([f, status]) => storedStatus.get(`fp-${f}`) !== status).length;
  const changes = await db.$client.execute(
    "SELECT component_id, old_status, new_status FROM component_status_changes WHERE alert_id IS NOT NULL ORDER BY component_id, at, rowid",
  );
  let duplicates = 0;
  const last = new Map<string, string>();
  for (const row of changes.rows) {
    const id = String(row.component_id);
    const previous = last.get(id);
    if (row.old_status === row.new_status || (previous !== undefined && previous !== row.old_status)) duplicates++;
    last.set(id, String(row.new_status));
  }
  const expected = new Map<string, string>();
  for (const [f, status] of lastAccepted) {
    if (status !== "firing") continue;
    const id = componentIds[f % COMPONENTS] ?? "";
    const wanted = STATUS_OF[SEVERITIES[f % 3] ?? "critical"];
    if (RANK.indexOf(wanted) > RANK.indexOf(expected.get(id) ?? "operational")) expected.set(id, wanted);
  }
  let wrong = 0;
  const current = await db.$client.execute("SELECT id, status FROM components");
  for (const row of current.rows) {
    const id = String(row.id);
    if (id === probeComponent || !componentIds.includes(id)) continue;
    if (String(row.status) !== (expected.get(id) ?? "operational")) wrong++;
  }
  db.$client.close();

  const total = [...answers.values()].reduce((a, b) => a + b, 0);
  const other = [...answers].filter(([status]) => !(status >= 200 && status < 300) && status !== 429);
  const sortedProbe = probeLatency.sort((a, b) => a - b);
  const sortedRequests = requestMs.sort((a, b) => a - b);
  const ms = (n: number) => `${n.toFixed(0)} ms`;
  console.log(
    `\nbench/intake: ${total.toLocaleString("en-US")} alerts (${FINGERPRINTS} fingerprints) from ${SOURCES} Alertmanager sources in webhooks of ${BATCH}\n`,
  );
  console.log(`| figure | value |\n|---|---:|`);
  console.log(`| sent in | ${sendSeconds.toFixed(1)} s (target ${SECONDS} s) |`);
  for (const [status, count] of [...answers].sort((a, b) => a[0] - b[0]))
    console.log(`| answered ${status} | ${count} alerts |`);
  console.log(`| answered anything else | ${other.reduce((a, [, n]) => a + n, 0)} alerts |`);
  console.log(`| request p50 / p99 | ${ms(percentile(sortedRequests, 50))} / ${ms(percentile(sortedRequests, 99))} |`);
  console.log(`| settled (every evaluation run) after | ${settledS.toFixed(1)} s |`);
  console.log(`| alerts not stored in the state last sent | ${notLastSent} of ${lastAccepted.size} |`);
  console.log(`| automated status changes | ${changes.rows.length} |`);
  console.log(`| changes recorded twice or out of order | ${duplicates} |`);
  console.log(`| components not at the worst firing alert's status | ${wrong} of ${COMPONENTS} |`);
  console.log(
    `| alert → page (probe, n=${sortedProbe.length}) p50 / p95 / max | ${ms(percentile(sortedProbe, 50))} / ${ms(percentile(sortedProbe, 95))} / ${ms(sortedProbe.at(-1) ?? Number.NaN)} |`,
  );
  if (other.length > 0 || duplicates > 0 || wrong > 0 || notLastSent > 0) process.exitCode = 1;
} finally {
  await herald.stop();
  await rm(dataDir, { recursive: true, force: true });
}
