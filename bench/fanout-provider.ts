// bench/fanout-provider (`npm run bench -- fanout-provider`): one incident event to BENCH_SUBSCRIBERS
// (default 1,000,000) confirmed subscribers through the provider-API transport: the event and its notify
// job committed in one batch, fanned out by the same `fanOut` the job runner calls (in this process, as
// the runner would be, while the sender already sends), the mail sent by `herald send` in its own process
// with MAIL_TRANSPORT=resend to the Resend stand-in (test/helpers/resend-standin-process.mjs) in a third.
// Prints the total time (target ≤ 10 min), the sender's peak RSS (target ≤ 300 MB), the batch requests,
// then prunes the delivery rows as DELIVERY_RETENTION would 31 days later and prints the database's size
// before and after (the file, and the pages in use: SQLite keeps freed pages for reuse).
// BENCH_MAIL_CONCURRENCY sets MAIL_CONCURRENCY (default 2, as in production).
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { eq, sql } from "drizzle-orm";
import { systemClock } from "../core/actions/clock.ts";
import { SYSTEM_ACTOR } from "../core/actions/context.ts";
import { commitChange } from "../core/changes/commit.ts";
import { pruneDeliveries } from "../core/notifications/prune-deliveries.ts";
import { notificationStatements } from "../core/notifications/queue-event.ts";
import { createDb, prepareLocalDb } from "../db/client.ts";
import { notificationEvents } from "../db/schema.ts";
import { fanOut } from "../jobs/notify/fan-out.ts";
import { migrateDb } from "../server/migrate.ts";
import { setupPage } from "../test/helpers/database.ts";
import { startResendStandIn } from "../test/helpers/resend-standin.ts";
import { addSubscribers, openQuietIncident } from "../test/helpers/subscribers.ts";
import { startBenchSender } from "./sender-process.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const COUNT = Number(process.env.BENCH_SUBSCRIBERS ?? 1_000_000);
const CONCURRENCY = process.env.BENCH_MAIL_CONCURRENCY ?? "2";
const clock = systemClock;
const seconds = (ms: number) => (ms / 1000).toFixed(1);

const dir = await mkdtemp(join(tmpdir(), "herald-fanout-provider-"));
const file = join(dir, "herald.db");
const url = `file:${file}`;
const db = createDb({ url });
await prepareLocalDb(db, url);
await migrateDb(db, join(ROOT, "db/migrations"));
await setupPage(db, clock);
const seeded = performance.now();
await addSubscribers(db, COUNT, { address: (i) => `reader${i}@bench.test` });
console.log(`Seeded ${COUNT} confirmed subscribers in ${seconds(performance.now() - seeded)} s.`);

const standIn = await startResendStandIn(null);
const sizeOf = async () => {
  const [pages] = await db.all<{ n: number }>(sql`SELECT page_count AS n FROM pragma_page_count()`);
  const [free] = await db.all<{ n: number }>(sql`SELECT freelist_count AS n FROM pragma_freelist_count()`);
  const [size] = await db.all<{ n: number }>(sql`SELECT page_size AS n FROM pragma_page_size()`);
  const mb = (n: number) => (n / 1024 / 1024).toFixed(0);
  const onDisk =
    (await stat(file)).size +
    (await stat(`${file}-wal`).then(
      (s) => s.size,
      () => 0,
    ));
  return `${mb(onDisk)} MB on disk, ${mb(((pages?.n ?? 0) - (free?.n ?? 0)) * (size?.n ?? 4096))} MB in use`;
};

try {
  const incidentId = await openQuietIncident(db, clock);
  const rssFile = join(dir, "sender.rss");
  const sender = await startBenchSender(
    {
      DATABASE_URL: url,
      HERALD_DATA: dir,
      PUBLIC_URL: "https://status.bench.test",
      MAIL_FROM: "Bench Status <status@bench.test>",
      MAIL_TRANSPORT: "resend",
      RESEND_API_KEY: standIn.apiKey,
      RESEND_API_URL: standIn.url,
      MAIL_CONCURRENCY: CONCURRENCY,
      MALLOC_ARENA_MAX: "2",
    },
    rssFile,
  );

  const started = performance.now();
  const planned = notificationStatements(db, {
    kind: "incident.updated",
    at: clock.now().toISOString(),
    incidentId,
    componentIds: [],
  });
  await commitChange(
    { db, clock, actor: SYSTEM_ACTOR },
    { ...planned, audit: { action: "bench.event", targetType: "event", targetId: planned.eventId, details: {} } },
  );
  await fanOut(db, clock, planned.eventId);
  const fannedOut = performance.now();
  let lastPrint = 0;
  for (;;) {
    const [event] = await db.select().from(notificationEvents).where(eq(notificationEvents.id, planned.eventId));
    if (event && event.sent + event.failed >= event.queued) break;
    if (performance.now() - lastPrint > 30_000) {
      lastPrint = performance.now();
      console.log(`  … ${event?.sent ?? 0} sent after ${seconds(lastPrint - started)} s`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const totalMs = performance.now() - started;
  await sender.stop();
  const rssMb = Number(await readFile(rssFile, "utf8"));
  const senderCpuS = Number(await readFile(`${rssFile}.cpu`, "utf8"));
  const [counts] = await db.select().from(notificationEvents).where(eq(notificationEvents.id, planned.eventId));
  const stats = await standIn.stats();
  const before = await sizeOf();

  const pruneStarted = performance.now();
  const pruned = await pruneDeliveries(db, new Date(Date.now() + 31 * 86_400_000), 30 * 86_400_000);
  const pruneMs = performance.now() - pruneStarted;
  await db.run(sql`PRAGMA wal_checkpoint(TRUNCATE)`);
  const after = await sizeOf();
  const [left] = await db.all<{ n: number }>(sql`SELECT count(*) AS n FROM deliveries`);
  const [kept] = await db.select().from(notificationEvents).where(eq(notificationEvents.id, planned.eventId));

  console.log(`
fan-out of one update to ${COUNT} subscribers through the provider-API transport (Resend stand-in, MAIL_CONCURRENCY=${CONCURRENCY}, ${cpus().length} cores)
  fan-out done after       ${seconds(fannedOut - started)} s
  all sent after           ${seconds(totalMs)} s  (target ≤ 600 s)
  Herald sender            ${((COUNT / totalMs) * 1000).toFixed(0)} msg/s  (sent ${counts?.sent}, failed ${counts?.failed}, stand-in accepted ${stats.emails})
  batch requests           ${stats.requests} (${(stats.emails / Math.max(1, stats.requests)).toFixed(1)} mails each, at most ${stats.maxBatch}; ${stats.refused} refused, ${stats.replayed} replayed)
  sender peak RSS          ${rssMb.toFixed(0)} MB  (target ≤ 300 MB)
  sender CPU               ${senderCpuS.toFixed(1)} s  (${((senderCpuS / COUNT) * 1e3).toFixed(3)} ms a message)
  database after sending   ${before}
  pruned                   ${pruned} delivery rows in ${seconds(pruneMs)} s; ${left?.n} left
  database after pruning   ${after}
  counters after pruning   queued ${kept?.queued}, sent ${kept?.sent}, failed ${kept?.failed} (unchanged)
`);
} finally {
  await standIn.stop();
  db.$client.close();
  await rm(dir, { recursive: true, force: true });
}
