// bench/fanout (`npm run bench -- fanout`): one incident update to BENCH_SUBSCRIBERS (default 100,000)
// confirmed subscribers, through the real path: the event and its notify job committed in one batch,
// fan-out by `herald start`'s job runner (HERALD_SENDER=off), the mail sent by `herald send` in its
// own process to an SMTP sink in another process. Prints msg/s, total time and the sender's peak RSS;
// in the same run, before and after the sender, a bare nodemailer pool (same pool size, same window)
// sends the same messages to the same sink, and the ratio to the mean of the two. While the fan-out runs, updates are posted through the API and the
// time from the 201 until the served page shows them is printed (publishing must not slow down).
// BENCH_SENDER_NODE_OPTIONS adds Node options to the sender, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { eq } from "drizzle-orm";
import nodemailer from "nodemailer";
import { systemClock } from "../core/actions/clock.ts";
import { SYSTEM_ACTOR } from "../core/actions/context.ts";
import { commitChange } from "../core/changes/commit.ts";
import { emailMessagesFor } from "../core/notifications/email/channel.ts";
import { notificationStatements } from "../core/notifications/queue-event.ts";
import { createDb, prepareLocalDb } from "../db/client.ts";
import { notificationEvents, subscribers } from "../db/schema.ts";
import { SMTP_CONNECTIONS } from "../jobs/notify/mail-transports.ts";
import { nodeHmac } from "../jobs/notify/node-hmac.ts";
import { migrateDb } from "../server/migrate.ts";
import { startHeraldProcess } from "../test/helpers/herald-process.ts";
import { startSmtpSink } from "../test/helpers/smtp-sink.ts";
import { addSubscribers } from "../test/helpers/subscribers.ts";
import { startBenchSender } from "./sender-process.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const COUNT = Number(process.env.BENCH_SUBSCRIBERS ?? 100_000);
const WINDOW = 200;
const TOKEN = "hrld_bench_token_0123456789abcdefghij";
const PUBLIC_URL = "https://status.bench.test";
const MAIL_FROM = "Bench Status <status@bench.test>";

const load = (avg: number[]) => avg.map((n) => n.toFixed(2)).join(" ");

const dir = await mkdtemp(join(tmpdir(), "herald-fanout-"));
const url = `file:${join(dir, "herald.db")}`;
const db = createDb({ url });
await prepareLocalDb(db, url);
await migrateDb(db, join(ROOT, "db/migrations"));
const seeded = performance.now();
await addSubscribers(db, COUNT, { address: (i) => `reader${i}@bench.test` });
console.log(`Seeded ${COUNT} confirmed subscribers in ${((performance.now() - seeded) / 1000).toFixed(1)} s.`);

const sink = await startSmtpSink(dir);
const env = {
  DATABASE_URL: url,
  SMTP_URL: sink.url,
  PUBLIC_URL,
  MAIL_FROM,
  HERALD_ADMIN_TOKEN: TOKEN,
  HERALD_BACKUP_EVERY: "0",
};
const herald = await startHeraldProcess(dir, { ...env, HERALD_SENDER: "off" }, 120_000);
const clock = systemClock;

try {
  // An incident to post updates to while the fan-out runs.
  const opened = await fetch(`${herald.url}/api/incidents`, {
    method: "POST",
    headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" },
    // Opened without notifying: its own mail to every subscriber would be sent ahead of the measured one.
    body: JSON.stringify({
      name: "Elevated API error rates",
      status: "investigating",
      body: "Looking into it.",
      deliver_notifications: false,
    }),
  });
  if (opened.status !== 201) throw new Error(`open incident: HTTP ${opened.status} ${await opened.text()}`);
  const incident = (await opened.json()) as { id: string };

  // The event the update's batch writes (the events helper's actions write the same two rows).
  const planned = notificationStatements(db, {
    kind: "incident.updated",
    at: clock.now().toISOString(),
    incidentId: incident.id,
    componentIds: [],
  });
  // Updates posted once a second, each timed from its 201 until the served page shows it.
  const publishWhile = async (running: () => boolean, latencies: number[]) => {
    for (let i = 0; running(); i++) {
      const marker = `fanout-marker-${i}-${Date.now().toString(36)}`;
      const response = await fetch(`${herald.url}/api/incidents/${incident.id}/updates`, {
        method: "POST",
        headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" },
        body: JSON.stringify({ body: `Update ${i}: ${marker}.`, deliver_notifications: false }),
      });
      const accepted = performance.now();
      if (response.status !== 201) throw new Error(`update ${i}: HTTP ${response.status} ${await response.text()}`);
      while (!(await fetch(`${herald.url}/incidents/${incident.id}/`).then((r) => r.text())).includes(marker)) {
        if (performance.now() - accepted > 30_000) throw new Error(`update ${i} not visible after 30 s`);
        await new Promise((r) => setTimeout(r, 5));
      }
      latencies.push(performance.now() - accepted);
      await new Promise((r) => setTimeout(r, 1000));
    }
  };
  // The same messages through a bare nodemailer pool: the ceiling for this machine and sink. Its event
  // row is written without a notify job (nothing fans it out). It runs before and after the sender and
  // the mean is the ceiling: this machine's speed drifts by a third within minutes, and a ceiling taken
  // on one side only made the ratio swing 0.63-1.16 over runs of the same code.
  const reference = notificationStatements(db, {
    kind: "incident.updated",
    at: clock.now().toISOString(),
    incidentId: incident.id,
    componentIds: [],
  });
  const [referenceInsert, ...referenceRest] = reference.statements;
  if (referenceInsert) await db.batch([referenceInsert, ...referenceRest]);
  const [referenceEvent] = await db
    .select()
    .from(notificationEvents)
    .where(eq(notificationEvents.id, reference.eventId));
  if (!referenceEvent) throw new Error("no reference event");
  const build = await emailMessagesFor(
    { db, clock, publicUrl: PUBLIC_URL, mailFrom: MAIL_FROM, hmac: nodeHmac },
    referenceEvent,
  );
  const everyone = await db.select().from(subscribers).orderBy(subscribers.id);
  const bareRun = async (round: string) => {
    const pool = nodemailer.createTransport({
      host: "127.0.0.1",
      port: Number(new URL(sink.url).port),
      ignoreTLS: true,
      pool: true,
      maxConnections: SMTP_CONNECTIONS,
      maxMessages: Number.POSITIVE_INFINITY,
    });
    // Under the same load as the sender had: updates published meanwhile.
    let bareDone = false;
    const barePublishing = publishWhile(() => !bareDone, []);
    const cpu = process.cpuUsage();
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: WINDOW }, async () => {
        while (next < everyone.length) {
          const subscriber = everyone[next++];
          const message = subscriber && (await build?.(subscriber));
          if (message) await pool.sendMail({ ...message, messageId: `<bare.${round}.${subscriber.id}@bench.test>` });
        }
      }),
    );
    const ms = performance.now() - started;
    const used = process.cpuUsage(cpu);
    bareDone = true;
    await barePublishing;
    pool.close();
    return { ms, cpuS: (used.user + used.system) / 1e6, load: loadavg() };
  };
  const bareBefore = await bareRun("before");

  const rssFile = join(dir, "sender.rss");
  // The sender runs before the update is posted, as in production (its start-up is not the fan-out's cost).
  // With the Node flags `npm run send` (and `npm start`) use: 4 MB semi-spaces keep the sender's many
  // short-lived mail objects from growing the young generation (334 → 210 MB peak at 100k, same speed).
  const sender = await startBenchSender(
    {
      ...env,
      HERALD_DATA: dir,
    },
    rssFile,
  );
  const loadBefore = loadavg();
  const started = performance.now();
  await commitChange(
    { db, clock, actor: SYSTEM_ACTOR },
    { ...planned, audit: { action: "bench.event", targetType: "event", targetId: planned.eventId, details: {} } },
  );

  const latencies: number[] = [];
  let done = false;
  const publishing = publishWhile(() => !done, latencies);

  let fannedOutAt = 0;
  for (;;) {
    const [event] = await db.select().from(notificationEvents).where(eq(notificationEvents.id, planned.eventId));
    if (event?.fanoutDoneAt && !fannedOutAt) fannedOutAt = performance.now();
    if (event?.fanoutDoneAt && event.sent + event.failed >= event.queued) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const senderMs = performance.now() - started;
  const loadAfterSender = loadavg();
  done = true;
  await publishing;
  await sender.stop();
  const rssMb = Number(await readFile(rssFile, "utf8"));
  const senderCpuS = Number(await readFile(`${rssFile}.cpu`, "utf8"));
  const [counts] = await db.select().from(notificationEvents).where(eq(notificationEvents.id, planned.eventId));
  const bareAfter = await bareRun("after");
  const bareMs = (bareBefore.ms + bareAfter.ms) / 2;
  const bareCpuS = (bareBefore.cpuS + bareAfter.cpuS) / 2;
  const accepted = sink.accepted().filter((m) => m.messageId.startsWith(`<${planned.eventId}.`)).length;
  // The measured mails must be all the sender sent: any other would slow it down unseen.
  const others = sink.accepted().filter((m) => !m.messageId.startsWith("<bare.")).length - accepted;
  if (others > 0) throw new Error(`the sink also accepted ${others} mail(s) of other events`);

  const rate = (COUNT / senderMs) * 1000;
  const bareRate = (COUNT / bareMs) * 1000;
  const sorted = [...latencies].sort((a, b) => a - b);
  const pct = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
  console.log(`
fan-out of one update to ${COUNT} subscribers (${SMTP_CONNECTIONS} SMTP connections, ${WINDOW} in flight)
  fan-out done after       ${((fannedOutAt - started) / 1000).toFixed(2)} s
  all sent after           ${(senderMs / 1000).toFixed(1)} s  (target ≤ 150 s)
  Herald sender            ${rate.toFixed(0)} msg/s  (sent ${counts?.sent}, failed ${counts?.failed}, sink accepted ${accepted})
  sender peak RSS          ${rssMb.toFixed(0)} MB  (target ≤ 300 MB)
  sender CPU               ${senderCpuS.toFixed(1)} s  (${((senderCpuS / COUNT) * 1e3).toFixed(2)} ms a message, whole process)
  bare nodemailer pool     ${bareRate.toFixed(0)} msg/s  (mean of ${(bareBefore.ms / 1000).toFixed(1)} s before and ${(bareAfter.ms / 1000).toFixed(1)} s after the sender; CPU ${((bareCpuS / COUNT) * 1e3).toFixed(2)} ms a message, bench process incl. building and polling)
  ratio                    ${(rate / bareRate).toFixed(2)}  (target ≥ 0.8)
  load average (1/5/15 min) after the first bare pool ${load(bareBefore.load)}, at the sender's start ${load(loadBefore)}, after the sender ${load(loadAfterSender)}, after the second bare pool ${load(bareAfter.load)} (${cpus().length} cores)
  publish → page during fan-out: ${latencies.length} updates, p50 ${pct(50).toFixed(0)} ms, p95 ${pct(95).toFixed(0)} ms, max ${(sorted.at(-1) ?? Number.NaN).toFixed(0)} ms
`);
} finally {
  await herald.stop();
  await sink.stop();
  db.$client.close();
  await rm(dir, { recursive: true, force: true });
}
