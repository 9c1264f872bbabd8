import { and, eq, inArray, isNotNull } from "drizzle-orm";
import type { Clock } from "../core/actions/clock.ts";
import type { Db } from "../db/client.ts";
import { jobs, locks } from "../db/schema.ts";
import { acquireLock, heartbeat, isDeadLocalOwner, releaseLock } from "./locks.ts";
import type { RunnerTimings } from "./runner-timings.ts";

const PRESENCE_PREFIX = "runner:";

/** The `locks` row that says a job runner is alive: its job leases are its own while this beats. */
export function presenceLock(owner: string): string {
  return `${PRESENCE_PREFIX}${owner}`;
}

/**
 * Frees the job leases of runners provably gone, so their jobs run now rather than when the leases
 * expire: a runner whose presence went silent for `takeoverMs`, or a process on this machine that no
 * longer exists. A live runner's leases are never touched (another runner starting frees nothing of
 * its), and a lease of an owner with no presence (an older Herald) comes back when it expires.
 */
export async function reclaimAbandonedLeases(db: Db, self: string, now: Date, takeoverMs: number): Promise<number> {
  const stale = new Date(now.getTime() - takeoverMs).toISOString();
  const rows = await db.select().from(locks);
  const gone = rows
    .filter((row) => row.name.startsWith(PRESENCE_PREFIX) && row.name !== presenceLock(self))
    .filter((row) => row.heartbeatAt < stale || isDeadLocalOwner(row.owner))
    .map((row) => row.owner);
  if (gone.length === 0) return 0;
  const [freed] = await db.batch([
    db
      .update(jobs)
      .set({ leaseOwner: null, leaseUntil: null })
      .where(and(eq(jobs.state, "pending"), isNotNull(jobs.leaseOwner), inArray(jobs.leaseOwner, gone)))
      .returning({ id: jobs.id }),
    db.delete(locks).where(inArray(locks.name, gone.map(presenceLock))),
  ]);
  return freed.length;
}

export type Presence = {
  /** Resolves once the presence row is written: leases taken after it are covered by it. */
  registered: Promise<void>;
  /** Stops beating and removes the row (a graceful stop: the runner's jobs are finished or handed back). */
  stop(): Promise<void>;
};

/**
 * Keeps a runner's presence row beating and, at each beat, frees the leases of runners gone. A runner
 * that was silent too long and finds its row taken away registers again (its leases were freed: what
 * it was running may run twice, never not at all).
 */
export function keepPresence(
  db: Db,
  runner: { owner: string; clock: Clock; timings: RunnerTimings },
  log: (message: string, error?: unknown) => void,
): Presence {
  const { owner, clock, timings } = runner;
  const name = presenceLock(owner);
  const register = async () => {
    await acquireLock(db, name, owner, clock.now(), timings.takeoverMs);
    await reclaimAbandonedLeases(db, owner, clock.now(), timings.takeoverMs);
  };
  const registered = register().catch((error: unknown) =>
    log("Herald: the job runner could not register; its heartbeat retries.", error),
  );
  let beating = Promise.resolve();
  const beat = setInterval(() => {
    beating = (async () => {
      if (!(await heartbeat(db, name, owner, clock.now()))) await acquireLock(db, name, owner, clock.now(), 0);
      await reclaimAbandonedLeases(db, owner, clock.now(), timings.takeoverMs);
    })().catch((error: unknown) => log("Herald: the job runner's heartbeat failed.", error));
  }, timings.heartbeatMs);
  beat.unref();
  return {
    registered,
    async stop() {
      clearInterval(beat);
      await registered;
      await beating;
      await releaseLock(db, name, owner).catch(() => {});
    },
  };
}
