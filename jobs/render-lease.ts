import type { Clock } from "../core/actions/clock.ts";
import type { Db } from "../db/client.ts";
import { heartbeat, keepLock, releaseLock, takeLock } from "./locks.ts";
import { WakeUp } from "./notify/sender/wake-up.ts";
import type { RunnerTimings } from "./runner-timings.ts";

export const RENDER_LOCK = "render";

export type RenderLease = {
  /** Whether this runner renders now: it holds the lease and has caught up since taking it. */
  ready(): boolean;
  /** Resolves after the first attempt to take the lease: true when this runner took it. */
  firstAttempt: Promise<boolean>;
  /** Resolves once this runner holds the lease and has caught up (rendered what it may have missed). */
  caughtUp(): Promise<void>;
  /**
   * Aborted the moment this runner's hold on the lease ends (lost to another runner, or stopped): work done
   * under the lease checks it before anything it wrote goes out. A fresh signal per hold.
   */
  signal(): AbortSignal;
  /** Whether the lease is still this runner's in the database right now (checked before publishing). */
  confirm(): Promise<boolean>;
  /** Stops taking the lease and lets it go at once, so that a standby takes over at its next attempt. */
  stop(): Promise<void>;
};

export type RenderLeaseOptions = {
  db: Db;
  clock: Clock;
  /** This runner's name (`host:pid:random`, jobs/locks.ts ownerName): the same as in its job leases. */
  owner: string;
  timings: RunnerTimings;
  /**
   * Run on each taking of the lease, before any render job: renders what the previous holder may have
   * rendered elsewhere (jobs/render-catch-up.ts). Retried every heartbeat while it fails.
   */
  catchUp: (signal: AbortSignal) => Promise<void>;
  log?: (message: string, error?: unknown) => void;
};

/**
 * The render lease: exactly one runner renders at a time. A standby tries to take it every heartbeat;
 * it gets it when it is free (the holder stopped), when the holder has been silent for `takeoverMs`
 * (killed on another machine), or at once when the holder was a process on this machine that is gone.
 * The holder beats every `heartbeatMs`; if it finds the lease taken (it was silent too long), it stops
 * rendering at once (`ready` false, `signal` aborted) and stands by again.
 */
export function startRenderLease(options: RenderLeaseOptions): RenderLease {
  const { db, clock, owner, timings, catchUp } = options;
  const log = options.log ?? ((message, error) => console.error(message, error ?? ""));
  const wakeUp = new WakeUp();
  let stopped = false;
  let ready = false;
  let hold = new AbortController();
  hold.abort();
  let caughtUpWaiters: (() => void)[] = [];
  let reportFirst: (took: boolean) => void = () => {};
  const firstAttempt = new Promise<boolean>((resolve) => {
    reportFirst = resolve;
  });

  async function tryToTake(): Promise<boolean> {
    try {
      return await takeLock(db, RENDER_LOCK, owner, clock, timings.takeoverMs);
    } catch (error) {
      log("Herald: could not reach the database for the render lease; retrying.", error);
      return false;
    }
  }

  /** One hold of the lease: catch up, then render (the job runner leases render jobs) until it ends. */
  async function holdLease(): Promise<void> {
    const current = new AbortController();
    hold = current;
    const lost = () => {
      if (current.signal.aborted) return;
      log("Herald: another runner took the render lease (this one was silent too long); this one stops rendering.");
      current.abort();
      wakeUp.poke();
    };
    const stopBeating = keepLock(db, { name: RENDER_LOCK, owner, clock, heartbeatMs: timings.heartbeatMs }, lost, log);
    try {
      while (!current.signal.aborted) {
        try {
          await catchUp(current.signal);
          break;
        } catch (error) {
          if (current.signal.aborted) return;
          log("Herald: catching up on the site failed; retrying.", error);
          await wakeUp.wait(timings.heartbeatMs);
        }
      }
      if (current.signal.aborted) return;
      ready = true;
      for (const resolve of caughtUpWaiters) resolve();
      caughtUpWaiters = [];
      while (!current.signal.aborted) await wakeUp.wait(timings.heartbeatMs);
    } finally {
      ready = false;
      current.abort();
      stopBeating();
    }
  }

  const done = (async () => {
    let first = true;
    while (!stopped) {
      const took = await tryToTake();
      if (first) reportFirst(took);
      if (took && !first && !stopped)
        console.log("Herald: this runner took over the render lease; it renders the site now.");
      first = false;
      if (took && !stopped) await holdLease();
      else if (!stopped) await wakeUp.wait(timings.heartbeatMs);
    }
    reportFirst(false);
  })();

  return {
    ready: () => ready,
    firstAttempt,
    caughtUp: () =>
      ready
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            caughtUpWaiters.push(resolve);
          }),
    signal: () => hold.signal,
    confirm: () => heartbeat(db, RENDER_LOCK, owner, clock.now()),
    async stop() {
      stopped = true;
      hold.abort();
      wakeUp.poke();
      await done;
      await releaseLock(db, RENDER_LOCK, owner).catch(() => {});
    },
  };
}
