import { spawn } from "node:child_process";
import { hostname } from "node:os";
import { eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { systemClock } from "../../core/actions/clock.ts";
import { newId } from "../../core/model/ids.ts";
import { jobs, locks } from "../../db/schema.ts";
import { ownerName } from "../../jobs/locks.ts";
import { RENDER_LOCK, type RenderLease, startRenderLease } from "../../jobs/render-lease.ts";
import { type JobHandler, type JobRunner, startJobRunner } from "../../jobs/runner.ts";
import { presenceLock } from "../../jobs/runner-presence.ts";
import { createTestDb, type TestDb } from "../helpers/database.ts";

/*
 * The render lease (jobs/render-lease.ts) and the runners' presence (jobs/runner-presence.ts) on a real
 * libSQL file, with short timings: heartbeat 50 ms, takeover 500 ms (production: 2 s and 10 s).
 */

const TIMINGS = { heartbeatMs: 50, takeoverMs: 500 };
let t: TestDb;
const started: { stop(): Promise<void> }[] = [];

beforeEach(async () => {
  t = await createTestDb();
});
afterEach(async () => {
  for (const running of started.splice(0).reverse()) await running.stop();
  await t.cleanup();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<number> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error("timed out");
    await sleep(5);
  }
  return Date.now() - start;
}

function lease(owner = ownerName(newId()), catchUps: string[] = []): RenderLease & { owner: string } {
  const running = startRenderLease({
    db: t.db,
    clock: systemClock,
    owner,
    timings: TIMINGS,
    log: () => {},
    catchUp: async () => {
      catchUps.push(owner);
    },
  });
  started.push(running);
  return Object.assign(running, { owner });
}

async function holderOfRenderLease(): Promise<string | undefined> {
  const [row] = await t.db.select().from(locks).where(eq(locks.name, RENDER_LOCK));
  return row?.owner;
}

/** A pid on this machine that no longer exists: a child that ran and was reaped. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await new Promise((resolve) => child.once("exit", resolve));
  if (child.pid === undefined) throw new Error("no pid");
  return child.pid;
}

describe("the render lease", () => {
  it("is held by one runner at a time: the second stands by and does not catch up", async () => {
    const catchUps: string[] = [];
    const first = lease(undefined, catchUps);
    expect(await first.firstAttempt).toBe(true);
    await first.caughtUp();
    const second = lease(undefined, catchUps);
    expect(await second.firstAttempt).toBe(false);
    await sleep(TIMINGS.takeoverMs * 2);
    expect(first.ready()).toBe(true);
    expect(second.ready()).toBe(false);
    expect(catchUps).toEqual([first.owner]);
    expect(await holderOfRenderLease()).toBe(first.owner);
  });

  it("a graceful stop hands the lease over at the standby's next attempt, which catches up first", async () => {
    const catchUps: string[] = [];
    const first = lease(undefined, catchUps);
    await first.caughtUp();
    const second = lease(undefined, catchUps);
    expect(await second.firstAttempt).toBe(false);
    await first.stop();
    const tookMs = await until(() => second.ready());
    expect(tookMs).toBeLessThan(TIMINGS.heartbeatMs * 4);
    expect(catchUps).toEqual([first.owner, second.owner]);
  });

  it("a holder on another machine that went silent is taken over once its heartbeat is takeoverMs old", async () => {
    await t.db
      .insert(locks)
      .values({ name: RENDER_LOCK, owner: "another-machine:4242:abc", heartbeatAt: new Date().toISOString() });
    const standby = lease();
    expect(await standby.firstAttempt).toBe(false);
    const tookMs = await until(() => standby.ready());
    expect(tookMs).toBeGreaterThanOrEqual(TIMINGS.takeoverMs - 2 * TIMINGS.heartbeatMs);
    expect(tookMs).toBeLessThan(TIMINGS.takeoverMs + 4 * TIMINGS.heartbeatMs);
  });

  it("a holder that was a process on this machine, now gone, is taken over at once", async () => {
    const dead = `${hostname()}:${await deadPid()}:abc`;
    await t.db.insert(locks).values({ name: RENDER_LOCK, owner: dead, heartbeatAt: new Date().toISOString() });
    const standby = lease();
    expect(await standby.firstAttempt).toBe(true);
    await standby.caughtUp();
    expect(await holderOfRenderLease()).toBe(standby.owner);
  });

  it("a holder with this process's pid that this process never named (a restarted container's pid 1) is taken over at once", async () => {
    const earlier = `${hostname()}:${process.pid}:earlier`;
    await t.db.insert(locks).values({ name: RENDER_LOCK, owner: earlier, heartbeatAt: new Date().toISOString() });
    const standby = lease();
    expect(await standby.firstAttempt).toBe(true);
  });

  it("a holder that finds its lease taken stops rendering at once: not ready, its hold's signal aborted", async () => {
    const holder = lease();
    await holder.caughtUp();
    const hold = holder.signal();
    expect(hold.aborted).toBe(false);
    await t.db.update(locks).set({ owner: "another-machine:1:xyz" }).where(eq(locks.name, RENDER_LOCK));
    await until(() => !holder.ready(), TIMINGS.heartbeatMs * 4);
    expect(hold.aborted).toBe(true);
    expect(await holder.confirm()).toBe(false);
  });
});

describe("job leases across runners", () => {
  function runner(render: JobHandler<"render">, owner = ownerName(newId())): JobRunner & { owner: string } {
    const running = startJobRunner({
      db: t.db,
      clock: systemClock,
      pollMs: 10,
      log: () => {},
      owner,
      timings: TIMINGS,
      handlers: { render, notify: async () => {}, evaluate_alerts: async () => {}, person_mail: async () => {} },
    });
    started.push(running);
    return Object.assign(running, { owner });
  }

  async function queueJob(fields: Partial<typeof jobs.$inferInsert> = {}): Promise<string> {
    const id = newId();
    const now = new Date().toISOString();
    await t.db
      .insert(jobs)
      .values({ id, kind: "render", dedupeKey: `test:${id}`, payload: {}, runAt: now, createdAt: now, ...fields });
    return id;
  }

  const leaseOf = async (id: string) =>
    (await t.db.select({ owner: jobs.leaseOwner }).from(jobs).where(eq(jobs.id, id)))[0]?.owner;

  it("a second runner starting neither frees nor runs the first one's leased jobs", async () => {
    let release: () => void = () => {};
    const busy = new Promise<void>((resolve) => {
      release = resolve;
    });
    const ranBy: string[] = [];
    const first = runner(async () => {
      ranBy.push("first");
      await busy;
    });
    const id = await queueJob();
    await until(async () => (await leaseOf(id)) === first.owner);
    runner(async () => void ranBy.push("second"));
    await sleep(TIMINGS.takeoverMs * 2);
    expect(await leaseOf(id)).toBe(first.owner);
    release();
    await until(async () => (await t.db.select().from(jobs)).length === 0);
    expect(ranBy).toEqual(["first"]);
  });

  it("frees the leases of a runner whose presence went silent, and of a process on this machine that is gone", async () => {
    const silent = "another-machine:77:silent";
    const gone = `${hostname()}:${await deadPid()}:gone`;
    const stale = new Date(Date.now() - 60_000).toISOString();
    await t.db.insert(locks).values([
      { name: presenceLock(silent), owner: silent, heartbeatAt: stale },
      { name: presenceLock(gone), owner: gone, heartbeatAt: new Date().toISOString() },
    ]);
    const leaseUntil = new Date(Date.now() + 5 * 60_000).toISOString();
    const ids = [await queueJob({ leaseOwner: silent, leaseUntil }), await queueJob({ leaseOwner: gone, leaseUntil })];
    const ran: string[] = [];
    runner(async (due) => void ran.push(...due.map((job) => job.id)));
    await until(() => ran.length === 2, 3000);
    expect(ran.sort()).toEqual(ids.sort());
    const presences = await t.db.all<{ name: string }>(sql`SELECT name FROM locks WHERE name LIKE 'runner:%'`);
    expect(presences.map((row) => row.name)).not.toContain(presenceLock(silent));
    expect(presences.map((row) => row.name)).not.toContain(presenceLock(gone));
  });

  it("leaves the leases of an owner it knows nothing of (an older runner) until they expire", async () => {
    const id = await queueJob({
      leaseOwner: "old-style-owner",
      leaseUntil: new Date(Date.now() + 60_000).toISOString(),
    });
    const ran: string[] = [];
    runner(async (due) => void ran.push(...due.map((job) => job.id)));
    await sleep(TIMINGS.takeoverMs * 2);
    expect(ran).toEqual([]);
    expect(await leaseOf(id)).toBe("old-style-owner");
  });
});
