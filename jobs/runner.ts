import { and, asc, eq, inArray, isNull, lt, lte, or, sql } from "drizzle-orm";
import type { Clock } from "../core/clock.ts";
import { newId } from "../core/ids.ts";
import type { Db } from "../db/client.ts";
import { jobs } from "../db/schema.ts";

export type JobRow = typeof jobs.$inferSelect;

/** Handles every due job of one kind at once (a render coalesces many changes into one pass). */
export type JobHandler = (due: JobRow[]) => Promise<void>;

export type JobRunner = {
  /** Look for due jobs now rather than at the next poll (called after a commit in this process). */
  wake(): void;
  stop(): Promise<void>;
};

const LEASE_MS = 5 * 60_000;
const BATCH = 200;
const MAX_BACKOFF_MS = 5 * 60_000;

/**
 * Leases due outbox jobs, runs their handler, and deletes them on success; a failure is retried with
 * exponential backoff. A lease left by a crashed runner expires and the job runs again, so nothing is lost.
 */
export function startJobRunner(options: {
  db: Db;
  clock: Clock;
  handlers: Record<string, JobHandler>;
  pollMs?: number;
  log?: (message: string, error?: unknown) => void;
}): JobRunner {
  const { db, clock, handlers } = options;
  const owner = newId();
  const pollMs = options.pollMs ?? 500;
  const log = options.log ?? ((message, error) => console.error(message, error ?? ""));
  let running = true;
  let wakeUp: (() => void) | null = null;
  let woken = false;

  async function leaseDue(kind: string): Promise<JobRow[]> {
    const now = clock.now();
    const due = db
      .select({ id: jobs.id })
      .from(jobs)
      .where(
        and(
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
      .where(inArray(jobs.id, due))
      .returning();
  }

  async function runOnce(): Promise<number> {
    let handled = 0;
    for (const [kind, handler] of Object.entries(handlers)) {
      const due = await leaseDue(kind);
      if (due.length === 0) continue;
      handled += due.length;
      const ids = due.map((j) => j.id);
      try {
        await handler(due);
        await db.delete(jobs).where(and(inArray(jobs.id, ids), eq(jobs.leaseOwner, owner)));
      } catch (error) {
        log(`Herald: ${kind} job failed; it will be retried.`, error);
        const attempts = Math.max(...due.map((j) => j.attempts)) + 1;
        const retryAt = new Date(clock.now().getTime() + Math.min(1000 * 2 ** attempts, MAX_BACKOFF_MS));
        await db
          .update(jobs)
          .set({
            attempts: sql`${jobs.attempts} + 1`,
            runAt: retryAt.toISOString(),
            leaseOwner: null,
            leaseUntil: null,
            lastError: String(error instanceof Error ? (error.stack ?? error.message) : error).slice(0, 4000),
          })
          .where(inArray(jobs.id, ids));
      }
    }
    return handled;
  }

  const loop = (async () => {
    while (running) {
      let handled = 0;
      try {
        handled = await runOnce();
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
  })();

  return {
    wake() {
      woken = true;
      wakeUp?.();
    },
    async stop() {
      running = false;
      wakeUp?.();
      await loop;
    },
  };
}
