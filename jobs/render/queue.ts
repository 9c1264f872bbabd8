/**
 * The render queue: one render at a time in this process (a full render's switch never races a partial
 * render), and the follow-up routes (history months, component pages) that come after a change's other
 * routes, one batch per turn of the queue, so the next change's index, incident page and feeds never
 * wait behind them.
 */
import type { RenderTopics } from "../../core/commit.ts";
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

/**
 * Follow-up work of past changes: the topics whose component pages are not yet chosen, and the routes
 * chosen but not yet rendered. `renderBatch` takes what it renders out of these; it runs on the queue
 * until nothing is pending.
 */
export class FollowUps {
  topics: RenderTopics[] = [];
  readonly routes = new Set<string>();
  private draining: Promise<void> | null = null;

  constructor(
    private readonly exclusive: Exclusive,
    private readonly renderBatch: () => Promise<void>,
  ) {}

  /** Queues a change's follow-ups: its component pages (chosen later) and, at once, its history months. */
  add(topics: RenderTopics[]): void {
    this.topics.push(...topics);
    // History months follow with the component pages: a busy month is the costliest page to render.
    for (const month of topics.flatMap((t) => t.months ?? [])) {
      if (MONTH_SEGMENT.test(month)) this.routes.add(monthRoute(month));
    }
  }

  /** Forgets everything pending: a full render wrote it all. */
  clear(): void {
    this.topics = [];
    this.routes.clear();
  }

  drain(): Promise<void> {
    this.draining ??= (async () => {
      try {
        while (this.topics.length > 0 || this.routes.size > 0) await this.exclusive(this.renderBatch);
      } catch (error) {
        // The routes stay pending: the next change retries them (and a restart renders everything).
        console.error("Herald: rendering component pages failed; retrying with the next change.", error);
      } finally {
        this.draining = null;
      }
    })();
    return this.draining;
  }

  /** Resolves once nothing is being drained. */
  async settled(): Promise<void> {
    while (this.draining) await this.draining;
  }
}

/** Runs `task` over `items` with at most `limit` at a time. */
export async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
