import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../core/actions/clock.ts";
import { commitChange } from "../../core/changes/commit.ts";
import { notificationStatements } from "../../core/notifications/queue-event.ts";
import { fanOut } from "../../jobs/notify/fan-out.ts";
import { SMTP_CONNECTIONS } from "../../jobs/notify/mail-transports.ts";
import { contextFor, createTestDb, setupPage, type TestDb } from "../helpers/database.ts";
import { seededRandom } from "../helpers/prng.ts";
import { type SmtpSink, startSmtpSink } from "../helpers/smtp-sink.ts";
import { addSubscribers, openQuietIncident } from "../helpers/subscribers.ts";

/*
 * Flow 3 under hard kills: the sender process (`herald send`, the built bundle) is SIGKILLed at random
 * points while it sends one event to 2,000 subscribers, and restarted each time. Nothing may be lost;
 * duplicates may only be mails the server accepted in the instant before a kill (at most one per
 * pooled connection per kill); a SIGTERM (graceful stop) may cause none.
 * HERALD_CRASH_TRIALS, HERALD_CRASH_KILLS, HERALD_CRASH_SUBSCRIBERS and HERALD_CRASH_SEED tune it.
 */

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const TRIALS = Number(process.env.HERALD_CRASH_TRIALS ?? 10);
const KILLS = Number(process.env.HERALD_CRASH_KILLS ?? 10);
const SUBSCRIBERS = Number(process.env.HERALD_CRASH_SUBSCRIBERS ?? 2000);
const random = seededRandom(Number(process.env.HERALD_CRASH_SEED ?? Date.now() % 1_000_000));

let t: TestDb;
let sink: SmtpSink;
let incidentId: string;

beforeAll(async () => {
  t = await createTestDb();
  await setupPage(t.db, systemClock);
  await addSubscribers(t.db, SUBSCRIBERS);
  incidentId = await openQuietIncident(t.db, systemClock);
  sink = await startSmtpSink(t.dir);
});
afterAll(async () => {
  await sink?.stop();
  await t?.cleanup();
});

type SenderProcess = { child: ChildProcess; sending: Promise<void>; exited: Promise<void> };

function startSenderProcess(): SenderProcess {
  const child = spawn(process.execPath, ["dist/herald.mjs", "send"], {
    cwd: ROOT,
    env: {
      ...process.env,
      HERALD_DATA: t.dir,
      DATABASE_URL: t.url,
      SMTP_URL: sink.url,
      PUBLIC_URL: "https://status.acme.test",
      HERALD_SENDER_HEARTBEAT_MS: "100",
      // Long enough that a loaded machine never looks like a dead sender; a killed one is seen dead at once.
      HERALD_SENDER_TAKEOVER_MS: "10000",
      HERALD_SENDER_POLL_MS: "50",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const sending = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk;
      if (output.includes("Herald sender: sending")) resolve();
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk;
    });
    child.once("exit", () => reject(new Error(`The sender exited before sending:\n${output}`)));
  });
  sending.catch(() => {});
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return { child, sending, exited };
}

async function queueEvent(): Promise<string> {
  const planned = notificationStatements(t.db, {
    kind: "incident.updated",
    incidentId,
    at: new Date().toISOString(),
    componentIds: [],
  });
  await commitChange(contextFor(t.db, systemClock), {
    ...planned,
    audit: { action: "test.event", targetType: "event", targetId: planned.eventId, details: {} },
  });
  await fanOut(t.db, systemClock, planned.eventId);
  return planned.eventId;
}

async function pendingOf(eventId: string): Promise<number> {
  const [row] = await t.db.all<{ n: number }>(
    sql`SELECT count(*) AS n FROM deliveries WHERE event_id = ${eventId} AND state <> 'sent'`,
  );
  return row?.n ?? 0;
}

/** What the sink accepted for one event: per subscriber address, how many times. */
function acceptedFor(eventId: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const mail of sink.accepted()) {
    if (!mail.messageId.startsWith(`<${eventId}.`)) continue;
    counts.set(mail.to, (counts.get(mail.to) ?? 0) + 1);
  }
  return counts;
}

async function stopAt(process: SenderProcess, signal: NodeJS.Signals, delayMs: number): Promise<void> {
  await process.sending;
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  process.child.kill(signal);
  await process.exited;
}

async function finish(eventId: string): Promise<void> {
  const last = startSenderProcess();
  const deadline = Date.now() + 60_000;
  while ((await pendingOf(eventId)) > 0) {
    if (Date.now() > deadline) throw new Error("The last sender did not finish.");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await stopAt(last, "SIGTERM", 0);
}

async function checkServed(eventId: string): Promise<{ duplicates: number }> {
  const accepted = acceptedFor(eventId);
  const subscribers = await t.db.all<{ address: string }>(sql`SELECT address FROM subscribers`);
  const lost = subscribers.filter((s) => !accepted.has(s.address));
  expect(lost, "subscribers who never got the mail").toEqual([]);
  const sentRows = await t.db.all<{ n: number }>(
    sql`SELECT count(*) AS n FROM deliveries WHERE event_id = ${eventId} AND state = 'sent' AND server_reply LIKE '250 %'`,
  );
  expect(sentRows[0]?.n).toBe(SUBSCRIBERS);
  return { duplicates: [...accepted.values()].reduce((sum, n) => sum + n - 1, 0) };
}

describe("the sender under hard kills", () => {
  it(`serves every one of ${SUBSCRIBERS} subscribers across ${TRIALS} trials of ${KILLS} SIGKILLs, repeating at most one mail per connection per kill`, async () => {
    const perKill: number[] = [];
    for (let trial = 1; trial <= TRIALS; trial++) {
      const eventId = await queueEvent();
      let kills = 0;
      for (let kill = 0; kill < KILLS; kill++) {
        if ((await pendingOf(eventId)) === 0) break;
        await stopAt(startSenderProcess(), "SIGKILL", random.int(0, 250));
        kills++;
      }
      await finish(eventId);
      const { duplicates } = await checkServed(eventId);
      console.log(`crash trial ${trial}: ${kills} SIGKILLs, 0 lost, ${duplicates} duplicate(s)`);
      expect(duplicates).toBeLessThanOrEqual(kills * SMTP_CONNECTIONS);
      if (kills > 0) perKill.push(duplicates / kills);
    }
    const mean = perKill.reduce((a, b) => a + b, 0) / Math.max(1, perKill.length);
    console.log(
      `crash test (seed ${random.seed}): ${TRIALS} trials, 0 lost, ${mean.toFixed(2)} duplicates per kill on average (bound ${SMTP_CONNECTIONS})`,
    );
    // 100 restarts of the built sender: ~17 s a trial idle, ~30 s on a 2-core machine at load 10-15.
  }, 420_000);

  it("repeats no mail across graceful stops (SIGTERM) in the middle of a fan-out", async () => {
    const eventId = await queueEvent();
    for (let stop = 0; stop < 5; stop++) {
      if ((await pendingOf(eventId)) === 0) break;
      await stopAt(startSenderProcess(), "SIGTERM", random.int(50, 300));
    }
    await finish(eventId);
    const { duplicates } = await checkServed(eventId);
    console.log(`graceful stops: 0 lost, ${duplicates} duplicate(s)`);
    expect(duplicates).toBe(0);
  }, 90_000);
});
