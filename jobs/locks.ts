import { hostname } from "node:os";
import { sql } from "drizzle-orm";
import type { Clock } from "../core/actions/clock.ts";
import type { Db } from "../db/client.ts";

/**
 * Named leases in the `locks` table, each kept alive by its holder's heartbeat: the sender's
 * (jobs/notify/sender.ts), the renderer's (jobs/render-lease.ts) and each job runner's presence
 * (jobs/runner-presence.ts).
 */

export const SENDER_LOCK = "sender";

/**
 * Takes the lock (or keeps it): succeeds when it is free, ours, or its holder has been silent for
 * `takeoverMs`. The heartbeat is the fence: a killed holder stops beating, a live one never goes silent.
 */
export async function acquireLock(
  db: Db,
  name: string,
  owner: string,
  now: Date,
  takeoverMs: number,
): Promise<boolean> {
  const stale = new Date(now.getTime() - takeoverMs).toISOString();
  const rows = await db.all<{ owner: string }>(sql`INSERT INTO locks (name, owner, heartbeat_at)
    VALUES (${name}, ${owner}, ${now.toISOString()})
    ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, heartbeat_at = excluded.heartbeat_at
    WHERE locks.owner = excluded.owner OR locks.heartbeat_at < ${stale}
    RETURNING owner`);
  return rows.length === 1;
}

/** Beats the heartbeat; false when the lock is no longer ours. */
export async function heartbeat(db: Db, name: string, owner: string, now: Date): Promise<boolean> {
  const rows = await db.all<{ owner: string }>(
    sql`UPDATE locks SET heartbeat_at = ${now.toISOString()} WHERE name = ${name} AND owner = ${owner} RETURNING owner`,
  );
  return rows.length === 1;
}

/** Lets the next holder start at once (a graceful stop). */
export async function releaseLock(db: Db, name: string, owner: string): Promise<void> {
  await db.run(sql`DELETE FROM locks WHERE name = ${name} AND owner = ${owner}`);
}

/** The owner names this process made: another name with this process's host and pid was an earlier process. */
const namesOfThisProcess = new Set<string>();

/** A lock owner name that says which process holds it: `host:pid:random`. */
export function ownerName(random: string): string {
  const name = `${hostname()}:${process.pid}:${random}`;
  namesOfThisProcess.add(name);
  return name;
}

/**
 * The holder's name when it was a process on this machine that no longer exists (a sender killed and
 * reaped): the next sender need not wait out the silence. Anything else (another machine, a live or
 * unknown process) waits for the heartbeat to go stale.
 */
export async function deadLocalHolder(db: Db, name: string): Promise<string | null> {
  const [row] = await db.all<{ owner: string }>(sql`SELECT owner FROM locks WHERE name = ${name}`);
  return row && isDeadLocalOwner(row.owner) ? row.owner : null;
}

/**
 * Whether an owner name (`host:pid:random`) was a process on this machine that no longer exists: its pid
 * is gone, or it is this process's pid but a name this process never made (an earlier process with the
 * same pid: a restarted container's pid 1). Host names must differ between the machines sharing a
 * database: another machine's live process could otherwise look dead here.
 */
export function isDeadLocalOwner(owner: string): boolean {
  const [host, pid] = owner.split(":");
  if (host !== hostname() || !pid || !/^\d+$/.test(pid)) return false;
  if (Number(pid) === process.pid) return !namesOfThisProcess.has(owner);
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/** Takes the lock from a holder known to be dead (only if it still holds it). */
export async function takeFromDead(db: Db, name: string, dead: string, owner: string, now: Date): Promise<boolean> {
  const rows = await db.all<{ owner: string }>(
    sql`UPDATE locks SET owner = ${owner}, heartbeat_at = ${now.toISOString()} WHERE name = ${name} AND owner = ${dead} RETURNING owner`,
  );
  return rows.length === 1;
}

/** Takes the lock if it is free, ours, silent for `takeoverMs`, or held by a dead process on this machine. */
export async function takeLock(
  db: Db,
  name: string,
  owner: string,
  clock: Clock,
  takeoverMs: number,
): Promise<boolean> {
  if (await acquireLock(db, name, owner, clock.now(), takeoverMs)) return true;
  const dead = await deadLocalHolder(db, name);
  return dead !== null && takeFromDead(db, name, dead, owner, clock.now());
}

/**
 * Beats the lock's heartbeat every `heartbeatMs` until stopped; `onLost` is told when another holder
 * took it (this one was silent too long). Returns the stop.
 */
export function keepLock(
  db: Db,
  lock: { name: string; owner: string; clock: Clock; heartbeatMs: number },
  onLost: () => void,
  log: (message: string, error?: unknown) => void,
): () => void {
  const beat = setInterval(() => {
    heartbeat(db, lock.name, lock.owner, lock.clock.now()).then(
      (held) => {
        if (!held) onLost();
      },
      (error: unknown) => log(`Herald: the ${lock.name} lock's heartbeat failed.`, error),
    );
  }, lock.heartbeatMs);
  return () => clearInterval(beat);
}
