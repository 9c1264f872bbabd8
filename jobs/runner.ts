import { and, asc, eq, exists, inArray, isNull, lt, lte, or, type SQL } from "drizzle-orm";
import type { Clock } from "../core/actions/clock.ts";
import type { Statement } from "../core/changes/commit.ts";
import {
  JOB_KIND_NAMES,
  type JobKind,
  type JobPayloads,
  maxAttempts,
  parseJobPayload,
} from "../core/changes/outbox.ts";
import { newId } from "../core/model/ids.ts";
import type { Db } from "../db/client.ts";
import { jobs, locks } from "../db/schema.ts";
import { ownerName } from "./locks.ts";
import { keepPresence } from "./runner-presence.ts";
import { RUNNER_TIMINGS, type RunnerTimings } from "./runner-timings.ts";

export type JobRow = typeof jobs.$inferSelect;

/** A leased job whose payload was checked against its kind's schema. */
export type DueJob<K extends JobKind> = {
  id: string;
  kind: K;
  payload: JobPayloads[K];
  /** Failed attempts so far. */
  attempts: number;
  runAt: string;
  createdAt: string;
};

/** Handles every due job of one kind at once (a render coalesces many changes into one pass). */
export type JobHandler<K extends JobKind> = (due: DueJob<K>[]) => Promise<void>;

/** One handler per job kind (`jobs/handlers/`); a kind without one does not compile. */
export type JobHandlers = { [K in JobKind]: JobHandler<K> };

export type JobRunner = {
  /** Look for due jobs now rather than at the next poll (called after a commit in this process). */
  wake(): void;
  stop(): Promise<void>;
};

const LEASE_MS = 5 * 60_000;
const BATCH = 200;
const MAX_BACKOFF_MS = 5 * 60_000;

/**
 * Thrown by a handler that gives its jobs back untouched (it lost the right to run them: the render
 * lease went to another runner): they are freed at once, without counting an attempt.
 */
export class HandBack extends Error {}

/** A kind only one runner runs at a time: while this runner holds `lock` and says it is `ready`. */
export type ExclusiveKind = { lock: string; ready: () => boolean };

/** The wait before the next attempt, after `attempts` failures: 2 s, 4 s, 8 s … at most 5 minutes. */
export function backoffMs(attempts: number): number {
  return Math.min(1000 * 2 ** attempts, MAX_BACKOFF_MS);
}

/**
 * Leases due outbox jobs, runs their kind's handler, and deletes them on success. A failure is retried
 * with exponential backoff up to the kind's attempts (`core/changes/outbox.ts`); then the job is dead: kept,
 * logged, listed by `GET /api/jobs?state=dead` and run again by `POST /api/jobs/{id}/retry`. A payload
 * that does not parse as its kind is dead at once. A lease left by a crashed runner is freed once the
 * runner is provably gone (runner-presence.ts), or else expires, and the job runs again: nothing is lost.
 */
export function startJobRunner(options: {
  db: Db;
  clock: Clock;
  handlers: JobHandlers;
  pollMs?: number;
  /** Attempts per kind before a job is dead, overriding the kind's own (tests). */
  maxAttempts?: Partial<Record<JobKind, number>>;
  log?: (message: string, error?: unknown) => void;
  /** This runner's name in job leases and locks (`host:pid:random`); a new one by default. */
  owner?: string;
  /** Its presence heartbeat: how other runners tell that its leases are abandoned (runner-presence.ts). */
  timings?: RunnerTimings;
  /** Kinds leased and completed only under a lock (render: jobs/render-lease.ts). */
  exclusive?: Partial<Record<JobKind, ExclusiveKind>>;
}): JobRunner {
  const { db, clock, handlers } = options;
  const owner = options.owner ?? ownerName(newId());
  const pollMs = options.pollMs ?? 500;
  const log = options.log ?? ((message, error) => console.error(message, error ?? ""));
  const attemptsOf = (kind: JobKind) => options.maxAttempts?.[kind] ?? maxAttempts(kind);
  let running = true;
  const presence = keepPresence(db, { owner, clock, timings: options.timings ?? RUNNER_TIMINGS }, log);

  /** The lock a kind's statements are fenced by, checked in the same statement (a lost lock leases and deletes nothing). */
  function fence(kind: JobKind): SQL | undefined {
    const lock = options.exclusive?.[kind]?.lock;
    if (!lock) return undefined;
    return exists(
      db
        .select({ name: locks.name })
        .from(locks)
        .where(and(eq(locks.name, lock), eq(locks.owner, owner))),
    );
  }

  async function leaseDue(kind: JobKind): Promise<JobRow[]> {
    const ready = options.exclusive?.[kind]?.ready;
    if (ready && !ready()) return [];
    const now = clock.now();
    const due = db
      .select({ id: jobs.id })
      .from(jobs)
      .where(
        and(
          eq(jobs.state, "pending"),
          eq(jobs.kind, kind),
          lte(jobs.runAt, now.toISOString()),
          or(isNull(jobs.leaseUntil), lt(jobs.leaseUntil, now.toISOString())),
        ),
      )
      .orderBy(asc(jobs.runAt))
      .limit(BATCH);
    return db
      .update(jobs)
      .set({ leaseOwner: owner, leaseUntil: new Date(now.getTime() + LEASE_MS).toISOString() })
      .where(and(inArray(jobs.id, due), fence(kind)))
      .returning();
  }

  function deadStatement(id: string, attempts: number, error: string, now: string): Statement {
    return db
      .update(jobs)
      .set({ state: "dead", attempts, diedAt: now, leaseOwner: null, leaseUntil: null, lastError: error })
      .where(and(eq(jobs.id, id), eq(jobs.leaseOwner, owner)));
  }

  async function write(statements: Statement[]): Promise<void> {
    const [first, ...rest] = statements;
    if (first) await db.batch([first, ...rest]);
  }

  async function runKind<K extends JobKind>(kind: K, handler: JobHandler<K>): Promise<number> {
    const leased = await leaseDue(kind);
    if (leased.length === 0) return 0;
    const now = clock.now().toISOString();
    const due: DueJob<K>[] = [];
    const unreadable: Statement[] = [];
    for (const row of leased) {
      const parsed = parseJobPayload(kind, row.payload);
      if (parsed.ok) {
        due.push({
          id: row.id,
          kind,
          payload: parsed.payload,
          attempts: row.attempts,
          runAt: row.runAt,
          createdAt: row.createdAt,
        });
      } else {
        log(`Herald: ${kind} job ${row.id} is dead: ${parsed.error}. It stays listed in GET /api/jobs?state=dead.`);
        unreadable.push(deadStatement(row.id, row.attempts, parsed.error, now));
      }
    }
    await write(unreadable);
    if (due.length === 0) return leased.length;
    const ids = due.map((job) => job.id);
    try {
      await handler(due);
    } catch (error) {
      if (error instanceof HandBack) await handBack(ids, error);
      else await fail(kind, due, error);
      return leased.length;
    }
    await db.delete(jobs).where(and(inArray(jobs.id, ids), eq(jobs.leaseOwner, owner), fence(kind)));
    return leased.length;
  }

  async function handBack(ids: string[], reason: HandBack): Promise<void> {
    log(`Herald: handing back ${ids.length} job(s): ${reason.message}`);
    await db
      .update(jobs)
      .set({ leaseOwner: null, leaseUntil: null })
      .where(and(inArray(jobs.id, ids), eq(jobs.leaseOwner, owner)));
  }

  async function fail<K extends JobKind>(kind: K, due: DueJob<K>[], error: unknown): Promise<void> {
    const message = String(error instanceof Error ? (error.stack ?? error.message) : error).slice(0, 4000);
    const now = clock.now();
    const limit = attemptsOf(kind);
    const statements: Statement[] = [];
    const died: string[] = [];
    for (const job of due) {
      const attempts = job.attempts + 1;
      if (attempts >= limit) {
        died.push(job.id);
        statements.push(deadStatement(job.id, attempts, message, now.toISOString()));
        continue;
      }
      statements.push(
        db
          .update(jobs)
          .set({
            attempts,
            runAt: new Date(now.getTime() + backoffMs(attempts)).toISOString(),
            leaseOwner: null,
            leaseUntil: null,
            lastError: message,
          })
          .where(and(eq(jobs.id, job.id), eq(jobs.leaseOwner, owner))),
      );
    }
    await write(statements);
    if (died.length < due.length) log(`Herald: ${kind} job failed; it will be retried.`, error);
    if (died.length > 0) {
      log(
        `Herald: ${died.length} ${kind} job(s) are DEAD after ${limit} attempts (${died.join(", ")}): ` +
          "they will not run again until retried (GET /api/jobs?state=dead, POST /api/jobs/{id}/retry).",
        error,
      );
    }
  }

  function handlerOf<K extends JobKind>(kind: K): JobHandler<K> {
    return handlers[kind];
  }

  const wakers = new Set<() => void>();

  /**
   * One loop per kind, so that no kind waits behind another: a change's render never waits for the
   * fan-out of its notifications (thousands of deliveries to plan) to finish, nor the other way round.
   */
  async function loop(kind: JobKind): Promise<void> {
    let woken = false;
    let wakeUp: (() => void) | null = null;
    const wake = () => {
      woken = true;
      wakeUp?.();
    };
    wakers.add(wake);
    while (running) {
      let handled = 0;
      try {
        handled = await runKind(kind, handlerOf(kind));
      } catch (error) {
        log("Herald: the job runner could not reach the database; retrying.", error);
      }
      if (handled > 0) continue;
      if (!running) break;
      if (woken) {
        woken = false;
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wakeUp = null;
    }
    wakers.delete(wake);
  }

  // Leases are taken only once the presence row covers them.
  const loops = presence.registered.then(() => Promise.all(JOB_KIND_NAMES.map(loop)));

  return {
    wake() {
      for (const wake of wakers) wake();
    },
    async stop() {
      running = false;
      for (const wake of wakers) wake();
      await loops;
      await presence.stop();
    },
  };
}
