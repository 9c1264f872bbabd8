import { inArray, sql } from "drizzle-orm";
import type { Clock } from "../../core/clock.ts";
import type { Statement } from "../../core/commit.ts";
import { newId } from "../../core/ids.ts";
import { deliveryVerdict } from "../../core/notifications/audience.ts";
import type {
  ChannelContext,
  ChannelName,
  Deliveries,
  MessageBuilder,
  NotificationEvent,
  SendResult,
  Subscriber,
} from "../../core/notifications/channel.ts";
import { type WebhookOutcome, webhookOutcomesStatements } from "../../core/notifications/webhook/health.ts";
import type { Db } from "../../db/client.ts";
import { notificationEvents, subscribers } from "../../db/schema.ts";
import { SMTP_CONNECTIONS } from "./mail-transports.ts";
import {
  acquireLock,
  deadLocalHolder,
  heartbeat,
  ownerName,
  releaseLock,
  SENDER_LOCK,
  takeFromDead,
} from "./sender-lock.ts";

export type SenderOptions = {
  db: Db;
  clock: Clock;
  /** The channels served and their transports (jobs/notify/channels.ts). */
  channels: Deliveries;
  context: ChannelContext;
  /** Messages in flight at once (the transport's pool works through them). */
  window?: number;
  heartbeatMs?: number;
  /** Silence after which another sender takes the lock over. */
  takeoverMs?: number;
  pollMs?: number;
  /** Hard failures in a row after which a mail subscriber is quarantined. */
  quarantineAfter?: number;
  log?: (message: string, error?: unknown) => void;
  /**
   * `PRAGMA synchronous=NORMAL` on this process's connection (a process of its own, `herald send`):
   * commits survive a crash of the process, not a power loss, and cost no fsync each, which made
   * sending 3-4x faster here. A power loss can then forget the last marks: duplicates, never loss.
   */
  fastCommits?: boolean;
  /**
   * Group commit: outcomes are recorded once `max` are waiting or `ms` after the first, whichever comes
   * first. A hard kill can repeat at most the mails waiting, so `max` is the SMTP pool's connections
   * (one per connection, the crash bound). One commit per reply cost 0.19 ms a mail of the sender's ~1.2.
   */
  groupCommit?: { max: number; ms: number };
};

export type Sender = {
  /** Look for due deliveries now (after a fan-out in this process). */
  wake(): void;
  /** Resolves once this sender holds the lock (tests). */
  started: Promise<void>;
  /** Stops leasing, waits for the messages in flight, records their outcome, releases the lock. */
  stop(): Promise<void>;
};

type Leased = { id: string; event_id: string; subscriber_id: string; attempts: number };

/** How one delivery ended this attempt; group-committed with the others of the same event-loop turn. */
type Mark =
  | {
      kind: "sent";
      id: string;
      eventId: string;
      subscriberId: string;
      channel: ChannelName;
      reply: string;
      messageId: string;
      /** The subscriber had a failure run when leased: this success ends it. */
      endsFailureRun: boolean;
    }
  | {
      kind: "retry";
      id: string;
      eventId: string;
      subscriberId: string;
      channel: ChannelName;
      attempts: number;
      next: string;
      reply: string;
    }
  | {
      kind: "failed";
      id: string;
      eventId: string;
      subscriberId: string;
      channel: ChannelName;
      attempts: number;
      reply: string;
      hard: boolean;
    }
  | { kind: "dropped"; id: string; eventId: string }
  /** Forbidden by the event's contract (a team event to a subscriber): failed unsent, no mark on the subscriber. */
  | { kind: "refused"; id: string; eventId: string; reply: string };

/** Lease backstop: a live sender never loses its rows (a send may take minutes); a new sender requeues at start. */
const LEASE_MS = 15 * 60_000;
const EVENT_CACHE = 64;

/**
 * The one sender (flow 3): holds the `sender` lock, leases due deliveries, re-checks each subscriber,
 * sends through the channel's transport with at most `window` in flight, and marks a delivery sent
 * only after the receiver accepted it. A crash loses nothing: on start the next holder requeues the
 * rows that were `sending`; only mails accepted in the instant before a hard kill can go out twice.
 */
export function startSender(options: SenderOptions): Sender {
  const { db, clock, channels, context } = options;
  const owner = ownerName(newId());
  const window = options.window ?? 200;
  const heartbeatMs = options.heartbeatMs ?? 5_000;
  const takeoverMs = options.takeoverMs ?? 30_000;
  const pollMs = options.pollMs ?? 500;
  const quarantineAfter = options.quarantineAfter ?? 3;
  const groupCommit = options.groupCommit ?? { max: SMTP_CONNECTIONS, ms: 5 };
  const log = options.log ?? ((message, error) => console.error(message, error ?? ""));
  const served = (Object.keys(channels) as ChannelName[]).filter((name) => channels[name]);

  let running = true;
  let signal: (() => void) | null = null;
  let signalled = false;
  const inFlight = new Set<Promise<void>>();
  let marks: Mark[] = [];
  let flushing: Promise<void> = Promise.resolve();
  let flushQueued = false;
  let flushTimer: ReturnType<typeof setTimeout> | null = null;
  /** Subscribers this sender saw fail: their next success must end the run, whatever the leased row said. */
  const failedHere = new Set<string>();
  const builders = new Map<string, MessageBuilder<ChannelName> | null>();
  const events = new Map<string, NotificationEvent | null>();
  let onStarted: () => void = () => {};
  const started = new Promise<void>((resolve) => {
    onStarted = resolve;
  });

  function poke(): void {
    signalled = true;
    const resolve = signal;
    signal = null;
    resolve?.();
  }

  function wait(ms: number): Promise<void> {
    if (signalled) {
      signalled = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signalled = false;
        resolve();
      }
      signal = done;
    });
  }

  async function lease(limit: number): Promise<Leased[]> {
    const now = clock.now();
    return db.all<Leased>(sql`UPDATE deliveries SET state = 'sending', lease_owner = ${owner},
        lease_until = ${new Date(now.getTime() + LEASE_MS).toISOString()}
      WHERE id IN (SELECT d.id FROM deliveries d LEFT JOIN subscribers s ON s.id = d.subscriber_id
        WHERE d.state IN ('queued', 'sending') AND d.state = 'queued' AND d.next_attempt_at <= ${now.toISOString()}
          AND (s.id IS NULL OR s.channel IN (SELECT value FROM json_each(${JSON.stringify(served)}))
            OR (${served.includes("email")} AND EXISTS (SELECT 1 FROM notification_events e
              WHERE e.id = d.event_id AND e.subscriber_id IS NOT NULL)))
          -- In order per subscriber: not while an earlier event's delivery to it is still on its way.
          AND NOT EXISTS (SELECT 1 FROM deliveries p
            JOIN notification_events pe ON pe.id = p.event_id
            JOIN notification_events me ON me.id = d.event_id
            WHERE p.subscriber_id = d.subscriber_id AND p.state IN ('queued', 'sending') AND pe.rowid < me.rowid)
        ORDER BY d.next_attempt_at LIMIT ${limit})
      RETURNING id, event_id, subscriber_id, attempts`);
  }

  async function eventOf(id: string): Promise<NotificationEvent | null> {
    if (!events.has(id)) {
      if (events.size >= EVENT_CACHE) {
        events.clear();
        builders.clear();
      }
      const [row] = await db
        .select()
        .from(notificationEvents)
        .where(inArray(notificationEvents.id, [id]));
      events.set(id, row ?? null);
    }
    return events.get(id) ?? null;
  }

  async function builderOf(event: NotificationEvent, channel: ChannelName) {
    const key = `${event.id}:${channel}`;
    if (!builders.has(key)) {
      const delivery = channels[channel];
      builders.set(key, delivery ? await delivery.channel.forEvent(context, event) : null);
    }
    return builders.get(key) ?? null;
  }

  function mark(entry: Mark): void {
    marks.push(entry);
    if (entry.kind === "retry" || entry.kind === "failed") failedHere.add(entry.subscriberId);
    if (marks.length >= groupCommit.max) {
      if (flushTimer) clearTimeout(flushTimer);
      flushTimer = null;
      queueFlush();
    } else if (!flushTimer && !flushQueued) {
      flushTimer = setTimeout(() => {
        flushTimer = null;
        queueFlush();
      }, groupCommit.ms);
    }
  }

  function queueFlush(): void {
    if (flushQueued) return;
    flushQueued = true;
    setImmediate(() => {
      flushQueued = false;
      flushing = flushing.then(flush, flush);
    });
  }

  async function flush(): Promise<void> {
    const batch = marks;
    marks = [];
    if (batch.length === 0) return;
    try {
      const now = clock.now();
      const statements = [
        ...markStatements(db, batch, now.toISOString(), quarantineAfter),
        ...(await webhookHealth(db, batch, now)),
      ];
      const [first, ...rest] = statements;
      if (first) await db.batch([first, ...rest]);
    } catch (error) {
      // Keep them for the next flush: a mail the server accepted must be recorded, or it is sent again.
      marks = [...batch, ...marks];
      log("Herald: could not record delivery results; retrying.", error);
      await new Promise((resolve) => setTimeout(resolve, 500));
      queueFlush();
    }
  }

  function outcome(row: Leased, channel: ChannelName, subscriber: Subscriber, result: SendResult): Mark {
    const base = { ...rowIds(row), channel };
    if (result.ok) {
      const failedEarlier = failedHere.delete(subscriber.id);
      const endsFailureRun = failedEarlier || subscriber.hardFailures > 0 || subscriber.failingSince !== null;
      return { kind: "sent", ...base, reply: result.reply, messageId: result.messageId, endsFailureRun };
    }
    const attempts = row.attempts + 1;
    const policy = channels[channel]?.channel.retry;
    if (result.permanent || !policy || attempts >= policy.maxAttempts)
      return { kind: "failed", ...base, attempts, reply: result.reply, hard: result.permanent };
    const next = new Date(clock.now().getTime() + policy.backoffMs(attempts)).toISOString();
    return { kind: "retry", ...base, attempts, next, reply: result.reply };
  }

  async function dispatch(rows: Leased[]): Promise<void> {
    const ids = [...new Set(rows.map((row) => row.subscriber_id))];
    const found = await db.select().from(subscribers).where(inArray(subscribers.id, ids));
    const byId = new Map(found.map((s) => [s.id, s]));
    for (const row of rows) {
      const subscriber = byId.get(row.subscriber_id);
      const event = await eventOf(row.event_id);
      const dropped: Mark = { kind: "dropped", id: row.id, eventId: row.event_id };
      const verdict = subscriber && event ? deliveryVerdict(event, subscriber) : "left";
      if (!subscriber || !event || verdict === "left") {
        // Left (or erased) after fan-out: nothing is owed to them.
        mark(dropped);
        continue;
      }
      if (verdict === "refused") {
        // Fan-out never queues these; a second line, should a row ever come from elsewhere.
        const reply = `not sent: a ${event.kind} event is not for this subscriber (core/notifications/events.ts)`;
        mark({ kind: "refused", id: row.id, eventId: row.event_id, reply });
        continue;
      }
      const channel = channelOf(event, subscriber);
      const transport = channels[channel]?.transport;
      const build = await builderOf(event, channel);
      let message: Awaited<ReturnType<MessageBuilder<ChannelName>>>;
      try {
        message = build ? await build(subscriber) : null;
      } catch (error) {
        // A message that cannot be built never will be: fail this one (not the subscriber), keep sending.
        const reply = `could not build the message: ${error instanceof Error ? error.message : String(error)}`;
        mark({ kind: "failed", ...rowIds(row), channel, attempts: row.attempts + 1, reply, hard: false });
        continue;
      }
      if (!transport || !message) {
        mark(dropped);
        continue;
      }
      const sending = (transport.send as (m: typeof message) => Promise<SendResult>)(message)
        .catch((error: unknown): SendResult => ({ ok: false, permanent: false, reply: String(error) }))
        .then((result) => {
          mark(outcome(row, channel, subscriber, result));
          inFlight.delete(sending);
          poke();
        });
      inFlight.add(sending);
    }
  }

  async function loop(): Promise<void> {
    if (options.fastCommits) await db.run(sql`PRAGMA synchronous=NORMAL`).catch(() => {});
    const take = async () => {
      if (await acquireLock(db, SENDER_LOCK, owner, clock.now(), takeoverMs)) return true;
      const dead = await deadLocalHolder(db, SENDER_LOCK);
      return dead !== null && takeFromDead(db, SENDER_LOCK, dead, owner, clock.now());
    };
    while (running && !(await take())) await wait(heartbeatMs);
    if (!running) return;
    // Whatever a dead sender was sending is due again; we hold the lock, so every `sending` row is orphaned.
    await db.run(
      sql`UPDATE deliveries SET state = 'queued', lease_owner = NULL, lease_until = NULL WHERE state IN ('queued', 'sending') AND state = 'sending'`,
    );
    onStarted();
    const beat = setInterval(() => {
      heartbeat(db, SENDER_LOCK, owner, clock.now()).then(
        (held) => {
          if (held || !running) return;
          log("Herald: the sender lost its lock to another sender; stopping.");
          running = false;
          poke();
        },
        (error: unknown) => log("Herald: the sender's heartbeat failed.", error),
      );
    }, heartbeatMs);
    try {
      while (running) {
        const room = window - inFlight.size;
        let leased = 0;
        if (room >= Math.min(50, window)) {
          try {
            const rows = await lease(room);
            leased = rows.length;
            if (rows.length > 0) await dispatch(rows);
          } catch (error) {
            log("Herald: the sender could not lease deliveries; retrying.", error);
          }
        }
        if (!running) break;
        if (leased === 0 || inFlight.size >= window - Math.min(50, window)) await wait(pollMs);
      }
      await Promise.all(inFlight);
      if (flushTimer) clearTimeout(flushTimer);
      flushTimer = null;
      await flushing;
      await flush();
    } finally {
      clearInterval(beat);
    }
    await releaseLock(db, SENDER_LOCK, owner).catch(() => {});
  }

  const done = loop().catch((error: unknown) => log("Herald: the sender stopped.", error));

  return {
    wake: poke,
    started,
    async stop() {
      running = false;
      poke();
      await done;
      await Promise.all(Object.values(channels).map((delivery) => delivery?.transport.close()));
    },
  };
}

function rowIds(row: Leased): { id: string; eventId: string; subscriberId: string } {
  return { id: row.id, eventId: row.event_id, subscriberId: row.subscriber_id };
}

/**
 * Where an event's message to a subscriber goes: an addressed event (a confirmation, a webhook's
 * disabled notice, the team address's reminder) is always a mail (a webhook's owner reads it).
 */
function channelOf(event: NotificationEvent, subscriber: Subscriber): ChannelName {
  return event.subscriberId ? "email" : subscriber.channel;
}

/** The webhooks' failure runs after this turn's attempts; sustained failure disables one and mails its owner. */
async function webhookHealth(db: Db, batch: Mark[], now: Date): Promise<Statement[]> {
  const attempts = new Map<string, WebhookOutcome[]>();
  for (const m of batch) {
    if (m.kind === "dropped" || m.kind === "refused" || m.channel !== "webhook") continue;
    attempts.set(m.subscriberId, [...(attempts.get(m.subscriberId) ?? []), m.kind]);
  }
  if (attempts.size === 0) return [];
  const webhooks = await db
    .select({
      id: subscribers.id,
      state: subscribers.state,
      hardFailures: subscribers.hardFailures,
      failingSince: subscribers.failingSince,
    })
    .from(subscribers)
    .where(inArray(subscribers.id, [...attempts.keys()]));
  return webhooks.flatMap(
    (webhook) => webhookOutcomesStatements(db, webhook, attempts.get(webhook.id) ?? [], now).statements,
  );
}

/** The batch recording one turn's outcomes: delivery rows, the events' counters, the subscribers' failure runs. */
function markStatements(db: Db, batch: Mark[], now: string, quarantineAfter: number): Statement[] {
  const statements: Statement[] = [];
  const of = <K extends Mark["kind"]>(kind: K) => batch.filter((m): m is Extract<Mark, { kind: K }> => m.kind === kind);
  const sent = of("sent");
  const retry = of("retry");
  const failed = of("failed");
  const dropped = of("dropped");
  const refused = of("refused");
  if (sent.length > 0)
    statements.push(
      db.run(sql`UPDATE deliveries SET state = 'sent', attempts = attempts + 1, sent_at = ${now},
        server_reply = json_extract(m.value, '$.reply'), message_id = json_extract(m.value, '$.messageId'),
        last_error = NULL, lease_owner = NULL, lease_until = NULL
        FROM json_each(${JSON.stringify(sent.map(({ id, reply, messageId }) => ({ id, reply, messageId })))}) AS m
        WHERE deliveries.id = json_extract(m.value, '$.id')`),
    );
  if (retry.length > 0)
    statements.push(
      db.run(sql`UPDATE deliveries SET state = 'queued', attempts = json_extract(m.value, '$.attempts'),
        next_attempt_at = json_extract(m.value, '$.next'), server_reply = json_extract(m.value, '$.reply'),
        last_error = json_extract(m.value, '$.reply'), lease_owner = NULL, lease_until = NULL
        FROM json_each(${JSON.stringify(retry.map(({ id, attempts, next, reply }) => ({ id, attempts, next, reply })))}) AS m
        WHERE deliveries.id = json_extract(m.value, '$.id')`),
    );
  if (failed.length > 0)
    statements.push(
      db.run(sql`UPDATE deliveries SET state = 'failed', attempts = json_extract(m.value, '$.attempts'),
        server_reply = json_extract(m.value, '$.reply'), last_error = json_extract(m.value, '$.reply'),
        lease_owner = NULL, lease_until = NULL
        FROM json_each(${JSON.stringify(failed.map(({ id, attempts, reply }) => ({ id, attempts, reply })))}) AS m
        WHERE deliveries.id = json_extract(m.value, '$.id')`),
    );
  if (refused.length > 0)
    statements.push(
      db.run(sql`UPDATE deliveries SET state = 'failed', server_reply = json_extract(m.value, '$.reply'),
        last_error = json_extract(m.value, '$.reply'), lease_owner = NULL, lease_until = NULL
        FROM json_each(${JSON.stringify(refused.map(({ id, reply }) => ({ id, reply })))}) AS m
        WHERE deliveries.id = json_extract(m.value, '$.id')`),
    );
  if (dropped.length > 0)
    statements.push(
      db.run(
        sql`DELETE FROM deliveries WHERE id IN (SELECT value FROM json_each(${JSON.stringify(dropped.map((m) => m.id))}))`,
      ),
    );
  const counts = new Map<string, { sent: number; failed: number; dropped: number }>();
  for (const m of batch) {
    const count = counts.get(m.eventId) ?? { sent: 0, failed: 0, dropped: 0 };
    if (m.kind === "sent") count.sent++;
    if (m.kind === "failed" || m.kind === "refused") count.failed++;
    if (m.kind === "dropped") count.dropped++;
    counts.set(m.eventId, count);
  }
  for (const [eventId, count] of counts) {
    if (count.sent + count.failed + count.dropped === 0) continue;
    statements.push(
      db.run(sql`UPDATE notification_events SET sent = sent + ${count.sent}, failed = failed + ${count.failed},
        queued = queued - ${count.dropped} WHERE id = ${eventId}`),
    );
  }
  // A mail subscriber's failure run; a webhook's is webhookHealth's (a mail to its owner is not its health).
  // `+channel`: without it SQLite walks subscribers_address_idx (every mail subscriber) on each flush.
  const mail = <M extends Mark>(m: M) => m.kind !== "dropped" && m.kind !== "refused" && m.channel === "email";
  const hard = [...new Set(failed.filter((m) => m.hard && mail(m)).map((m) => m.subscriberId))];
  const failing = [...new Set([...retry, ...failed].filter(mail).map((m) => m.subscriberId))];
  const fine = [...new Set(sent.filter((m) => mail(m) && m.endsFailureRun).map((m) => m.subscriberId))];
  if (failing.length > 0)
    statements.push(
      db.run(sql`UPDATE subscribers SET failing_since = coalesce(failing_since, ${now})
        WHERE id IN (SELECT value FROM json_each(${JSON.stringify(failing)})) AND +channel = 'email'`),
    );
  if (hard.length > 0) {
    statements.push(
      db.run(sql`UPDATE subscribers SET hard_failures = hard_failures + 1, updated_at = ${now}
        WHERE id IN (SELECT value FROM json_each(${JSON.stringify(hard)})) AND +channel = 'email'`),
      db.run(sql`UPDATE subscribers SET state = 'quarantined', quarantined_at = ${now}, updated_at = ${now}
        WHERE id IN (SELECT value FROM json_each(${JSON.stringify(hard)}))
          AND +channel = 'email' AND state = 'active' AND hard_failures >= ${quarantineAfter}`),
    );
  }
  if (fine.length > 0)
    statements.push(
      db.run(sql`UPDATE subscribers SET hard_failures = 0, failing_since = NULL
        WHERE id IN (SELECT value FROM json_each(${JSON.stringify(fine)}))
          AND +channel = 'email' AND (hard_failures > 0 OR failing_since IS NOT NULL)`),
    );
  return statements;
}
