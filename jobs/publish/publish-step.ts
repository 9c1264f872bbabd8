/**
 * The renderer's publish step: collects the files each render pass changes, publishes them once the pass
 * is written (on the render queue, so the next pass never writes under a publish), and retries a failed
 * publish on its own with backoff: a bucket that is down never fails a render job, and nothing written
 * while it is down is lost (a new process publishes its whole live release first, see `publishLive`).
 */
import { checkHold, type Hold, RenderStopped } from "../render/hold.ts";
import type { Exclusive } from "../render/queue.ts";
import type { Publisher, PublishStats } from "./publisher.ts";

export type PublishStep = {
  /**
   * The render lease's hold the latest render ran under: once it is lost, this process publishes
   * nothing more (the new holder publishes everything), not even the follow-up pages it still renders.
   */
  holdWith(hold: Hold | undefined): void;
  /** A render replaced or removed this file of the live release. */
  fileChanged(file: string): void;
  /** A change pass or follow-up turn wrote into the live release (call on the render queue). */
  afterPass(release: string): Promise<void>;
  /** A full render switched the live site to `release` (call on the render queue). */
  afterRelease(release: string): Promise<void>;
  /** Publishes the whole live release, as a start does (on the render queue). */
  publishLive(): Promise<void>;
  close(): Promise<void>;
};

const RETRY_MS = [1_000, 2_000, 5_000, 10_000, 30_000];

export function createPublishStep(options: {
  publisher: Publisher;
  exclusive: Exclusive;
  liveRelease: () => Promise<string | null>;
  /** No follow-up pages pending: the live release holds every page its changes need. */
  settled: () => boolean;
  log?: (message: string, error?: unknown) => void;
  logPublishes?: boolean;
}): PublishStep {
  const { publisher, exclusive } = options;
  const log = options.log ?? ((message, error) => console.error(message, error ?? ""));
  const changed = new Set<string>();
  let failures = 0;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let closed = false;
  let hold: Hold | undefined;
  const guard = () => checkHold(hold);

  async function attempt(publish: () => Promise<PublishStats>): Promise<void> {
    try {
      guard();
      const stats = await publish();
      failures = 0;
      if (options.logPublishes && (stats.uploaded || stats.deleted))
        console.log(
          `publish: ${stats.uploaded} written, ${stats.deleted} deleted, ${stats.deferred} held back in ${stats.ms} ms`,
        );
      // Pages held back for a follow-up page, and removals, go out with the follow-up turns' publishes.
    } catch (error) {
      if (error instanceof RenderStopped) return; // another runner publishes now
      failures += 1;
      log(`Herald: publishing the site failed (attempt ${failures}); retrying.`, error);
      scheduleRetry(RETRY_MS[Math.min(failures - 1, RETRY_MS.length - 1)] ?? 30_000);
    }
  }

  function scheduleRetry(ms: number): void {
    if (closed || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      void exclusive(async () => {
        const release = await options.liveRelease();
        if (release) await attempt(() => publisher.publishChanges(release, [], options.settled(), guard));
      });
    }, ms);
    retryTimer.unref?.();
  }

  return {
    holdWith(next) {
      hold = next;
    },
    fileChanged: (file) => changed.add(file),
    async afterPass(release) {
      const files = [...changed];
      changed.clear();
      await attempt(() => publisher.publishChanges(release, files, options.settled(), guard));
    },
    async afterRelease(release) {
      changed.clear();
      await attempt(() => publisher.publishRelease(release, guard));
    },
    async publishLive() {
      const release = await options.liveRelease();
      if (release) await attempt(() => publisher.publishRelease(release, guard));
    },
    async close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      await publisher.close();
    },
  };
}
