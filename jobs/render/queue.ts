/**
 * The render queue: one render at a time in this process (a full render's switch never races a partial
 * render), and the follow-up routes (history months, component pages) that come after a change's other
 * routes once changes pause (see FollowUps), so the next change's index, incident page and feeds never
 * wait behind them.
 */
import type { RenderTopics } from "../../core/changes/commit.ts";
import { MONTH_SEGMENT, monthRoute } from "./routes.ts";

export type Exclusive = <T>(task: () => Promise<T>) => Promise<T>;

/** Runs tasks one after another, whether the previous one failed or not. */
export function createExclusive(): Exclusive {
  let queue: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => {});
    return run;
  };
}

export type FollowUpTiming = {
  /** Follow-ups wait until no change has arrived for this long: a burst of changes is rendered first. */
  quietMs: number;
  /** …but no follow-up route waits longer than this: an overdue one renders between changes. */
  maxDelayMs: number;
};

/**
 * Between changes, readers get the pages that matter first (index, incident page, feeds, JSON), and the
 * follow-up pages (history months, component pages: the costliest, one busy month ~40 ms of CPU) wait
 * until changes pause, so the next change's first pass never waits behind one. In a long burst the
 * overdue ones are rendered one per turn between changes, once however many changes touched them meanwhile.
 */
export const FOLLOW_UP_TIMING: FollowUpTiming = { quietMs: 250, maxDelayMs: 2_000 };

/**
 * Follow-up work of past changes: the topics whose component pages are not yet chosen, and the routes
 * chosen but not yet rendered, each with when it became pending. `renderBatch` (on the queue) resolves the
 * topics into routes (`takeTopics`, `addRoutes`), renders what is `due()` and reports it `done`. Drained
 * when changes pause, or when the oldest is overdue, or at once when someone waits (`settled`).
 */
export class FollowUps {
  private topics: RenderTopics[] = [];
  private topicsSince: number | null = null;
  private readonly routes = new Map<string, number>();
  private lastChange = Number.NEGATIVE_INFINITY;
  private hurrying = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private draining: Promise<void> | null = null;
  /** Bumped whenever topics are taken or routes are done: a turn that moves nothing ends the drain. */
  private progress = 0;
  private readonly exclusive: Exclusive;
  private readonly renderBatch: () => Promise<void>;
  private readonly timing: FollowUpTiming;
  private readonly now: () => number;

  constructor(
    exclusive: Exclusive,
    renderBatch: () => Promise<void>,
    timing: FollowUpTiming = FOLLOW_UP_TIMING,
    now: () => number = () => performance.now(),
  ) {
    this.exclusive = exclusive;
    this.renderBatch = renderBatch;
    this.timing = timing;
    this.now = now;
  }

  /** Queues a change's follow-ups: its component pages (chosen later) and, at once, its history months. */
  add(topics: RenderTopics[]): void {
    const now = this.now();
    this.lastChange = now;
    this.topics.push(...topics);
    this.topicsSince ??= now;
    // History months follow with the component pages: a busy month is the costliest page to render.
    const months = topics.flatMap((t) => t.months ?? []).filter((month) => MONTH_SEGMENT.test(month));
    this.addRoutes(months.map(monthRoute), now);
  }

  /** The topics not yet resolved into routes, and since when the oldest waits; empties them. */
  takeTopics(): { topics: RenderTopics[]; since: number } | null {
    if (this.topics.length === 0 || this.topicsSince === null) return null;
    const taken = { topics: this.topics, since: this.topicsSince };
    this.progress += 1;
    this.topics = [];
    this.topicsSince = null;
    return taken;
  }

  /** Routes to render, pending since `since` (a route already pending keeps its older time). */
  addRoutes(routes: Iterable<string>, since: number): void {
    for (const route of routes) if (!this.routes.has(route)) this.routes.set(route, since);
  }

  /**
   * What to render in this turn: the oldest pending route, once changes paused, someone waits, or it is
   * overdue. One route per turn, so a change that arrives meanwhile waits behind one page at most.
   */
  due(): string[] {
    let oldest: [string, number] | null = null;
    for (const entry of this.routes) if (oldest === null || entry[1] < oldest[1]) oldest = entry;
    if (oldest === null) return [];
    const now = this.now();
    const ready =
      this.hurrying > 0 || now >= this.lastChange + this.timing.quietMs || now >= oldest[1] + this.timing.maxDelayMs;
    return ready ? [oldest[0]] : [];
  }

  done(routes: readonly string[]): void {
    if (routes.length > 0) this.progress += 1;
    for (const route of routes) this.routes.delete(route);
  }

  pending(): boolean {
    return this.topics.length > 0 || this.routes.size > 0;
  }

  /** Forgets everything pending: a full render wrote it all. */
  clear(): void {
    this.topics = [];
    this.topicsSince = null;
    this.routes.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Ms until the next turn is due (0: now), or null when nothing is pending. */
  private nextTurnIn(): number | null {
    if (!this.pending()) return null;
    if (this.hurrying > 0) return 0;
    const oldest = Math.min(this.topicsSince ?? Number.POSITIVE_INFINITY, ...this.routes.values());
    const at = Math.min(this.lastChange + this.timing.quietMs, oldest + this.timing.maxDelayMs);
    return Math.max(0, at - this.now());
  }

  /** Renders what is due now, then waits (a timer) for the rest; returns once this drain stops. */
  drain(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.draining ??= (async () => {
      // Never settle synchronously: `finally` must clear `draining` after it was assigned.
      await null;
      try {
        for (let wait = this.nextTurnIn(); wait !== null; wait = this.nextTurnIn()) {
          if (wait > 0) {
            this.timer = setTimeout(() => void this.drain(), wait);
            this.timer.unref?.();
            return;
          }
          const before = this.progress;
          await this.exclusive(this.renderBatch);
          if (this.progress === before) return;
        }
      } catch (error) {
        // The routes stay pending: the next change retries them (and a restart renders everything).
        console.error("Herald: rendering component pages failed; retrying with the next change.", error);
      } finally {
        this.draining = null;
      }
    })();
    return this.draining;
  }

  /** Renders everything pending now, without waiting for changes to pause; resolves once nothing is pending. */
  async settled(): Promise<void> {
    this.hurrying += 1;
    try {
      while (this.draining) await this.draining;
      if (this.pending()) await this.drain();
    } finally {
      this.hurrying -= 1;
    }
  }
}
