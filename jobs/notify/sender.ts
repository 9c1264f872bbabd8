import { sql } from "drizzle-orm";
import type { Clock } from "../../core/actions/clock.ts";
import { newId } from "../../core/model/ids.ts";
import type { ChannelContext, ChannelName, Deliveries } from "../../core/notifications/channel.ts";
import type { Db } from "../../db/client.ts";
import { keepLock, ownerName, releaseLock, SENDER_LOCK, takeLock } from "../locks.ts";
import { SMTP_CONNECTIONS } from "./mail-transports.ts";
import { GroupCommit } from "./sender/group-commit.ts";
import { type LeasedDelivery, leaseDue, requeueOrphans } from "./sender/lease.ts";
import { recordOutcomes } from "./sender/mark.ts";
import { MessageBuilders } from "./sender/messages.ts";
import { prepareDelivery, sendDelivery, subscribersOf } from "./sender/send.ts";
import { SendWindow } from "./sender/send-window.ts";
import { WakeUp } from "./sender/wake-up.ts";

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
   * Group commit (`sender/group-commit.ts`). A hard kill can repeat at most the mails waiting, so `max`
   * is the SMTP pool's connections (one per connection, the crash bound).
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

type Settings = Required<Omit<SenderOptions, "fastCommits">> & { fastCommits: boolean; owner: string };

/** What one running sender holds: its settings and the small parts the loop wires. */
type Running = {
  settings: Settings;
  stopping: AbortController;
  wakeUp: WakeUp;
  window: SendWindow;
  outcomes: GroupCommit;
  messages: MessageBuilders;
  served: ChannelName[];
};

/**
 * The one sender (flow 3): holds the `sender` lock, leases due deliveries (`sender/lease.ts`),
 * re-checks each subscriber and sends through the channel's transport (`sender/send.ts`) with at most
 * `window` in flight, and records each outcome (`sender/mark.ts`, group-committed by
 * `sender/group-commit.ts`) only after the receiver answered. A crash loses nothing: on start the next
 * holder requeues the rows that were `sending`; only mails accepted in the instant before a hard kill go out twice.
 */
export function startSender(options: SenderOptions): Sender {
  const settings = withDefaults(options);
  const { db, clock, channels, context, log } = settings;
  const running: Running = {
    settings,
    stopping: new AbortController(),
    wakeUp: new WakeUp(),
    window: new SendWindow(settings.window),
    outcomes: new GroupCommit(
      (outcomes) => recordOutcomes(db, outcomes, clock.now(), settings.quarantineAfter),
      settings.groupCommit,
      log,
    ),
    messages: new MessageBuilders(db, channels, context),
    served: (Object.keys(channels) as ChannelName[]).filter((name) => channels[name]),
  };
  let onStarted: () => void = () => {};
  const started = new Promise<void>((resolve) => {
    onStarted = resolve;
  });
  const done = run(running, onStarted).catch((error: unknown) => log("Herald: the sender stopped.", error));
  return {
    wake: () => running.wakeUp.poke(),
    started,
    async stop() {
      running.stopping.abort();
      running.wakeUp.poke();
      await done;
      await Promise.all(Object.values(channels).map((delivery) => delivery?.transport.close()));
    },
  };
}

function withDefaults(options: SenderOptions): Settings {
  return {
    ...options,
    owner: ownerName(newId()),
    window: options.window ?? 200,
    heartbeatMs: options.heartbeatMs ?? 5_000,
    takeoverMs: options.takeoverMs ?? 30_000,
    pollMs: options.pollMs ?? 500,
    quarantineAfter: options.quarantineAfter ?? 3,
    groupCommit: options.groupCommit ?? { max: SMTP_CONNECTIONS, ms: 5 },
    log: options.log ?? ((message, error) => console.error(message, error ?? "")),
    fastCommits: options.fastCommits ?? false,
  };
}

/** Waits for the lock, then sends until stopped (or the lock is lost), drains, and lets the lock go. */
async function run(running: Running, onStarted: () => void): Promise<void> {
  const { db, clock, owner, heartbeatMs, takeoverMs, log } = running.settings;
  const { stopping, wakeUp } = running;
  if (running.settings.fastCommits) await db.run(sql`PRAGMA synchronous=NORMAL`).catch(() => {});
  while (!stopping.signal.aborted && !(await takeLock(db, SENDER_LOCK, owner, clock, takeoverMs)))
    await wakeUp.wait(heartbeatMs);
  if (stopping.signal.aborted) return;
  await requeueOrphans(db);
  onStarted();
  const lost = () => {
    if (stopping.signal.aborted) return;
    log("Herald: the sender lost its lock to another sender; stopping.");
    stopping.abort();
    wakeUp.poke();
  };
  const stopBeating = keepLock(db, { name: SENDER_LOCK, owner, clock, heartbeatMs }, lost, log);
  try {
    await sendUntilStopped(running);
    await running.window.settled();
    await running.outcomes.drain();
  } finally {
    stopBeating();
  }
  await releaseLock(db, SENDER_LOCK, owner).catch(() => {});
}

/** Leases while there is room in the window, hands each row to `dispatch`, and sleeps when idle or full. */
async function sendUntilStopped(running: Running): Promise<void> {
  const { db, clock, owner, pollMs, log } = running.settings;
  const { stopping, wakeUp, window, served } = running;
  while (!stopping.signal.aborted) {
    const room = window.roomToLease();
    let leased = 0;
    if (room > 0) {
      try {
        const rows = await leaseDue(db, { owner, now: clock.now(), served, limit: room });
        leased = rows.length;
        if (rows.length > 0) await dispatch(running, rows);
      } catch (error) {
        log("Herald: the sender could not lease deliveries; retrying.", error);
      }
    }
    if (stopping.signal.aborted) break;
    if (leased === 0 || window.nearlyFull()) await wakeUp.wait(pollMs);
  }
}

/** Prepares the leased rows one by one (messages are built in order) and starts each ready send. */
async function dispatch(running: Running, rows: LeasedDelivery[]): Promise<void> {
  const { db, clock, channels } = running.settings;
  const { outcomes, messages, window, wakeUp } = running;
  const subscribers = await subscribersOf(db, rows);
  for (const row of rows) {
    const prepared = await prepareDelivery(row, subscribers.get(row.subscriber_id), messages, channels);
    if (prepared.kind === "settled") {
      outcomes.add(prepared.outcome);
      continue;
    }
    window.add(sendDelivery(prepared.delivery, clock), (outcome) => {
      outcomes.add(outcome);
      wakeUp.poke();
    });
  }
}
