/**
 * HERALD_PUBLISH_HOOK: after each publish, a POST of `{ "paths": [...], "full": bool, "published_at": … }`
 * (a CDN purge, a static host's deploy hook). Never awaited by a render; a failure is logged and its paths
 * are sent again with the next publish's.
 */
const HOOK_TIMEOUT_MS = 10_000;

export type PublishHook = {
  /** Queues the paths a publish changed (`full`: a whole new release) and sends them unless a send is running. */
  notify(paths: Iterable<string>, full: boolean): void;
  /** Resolves once no send is running (tests, shutdown). */
  idle(): Promise<void>;
};

export function createPublishHook(url: string, log: (message: string) => void = console.error): PublishHook {
  const pending = new Set<string>();
  let full = false;
  let queued = false;
  let sending: Promise<void> | null = null;

  async function send(): Promise<void> {
    while (queued) {
      queued = false;
      const paths = [...pending].sort();
      const wasFull = full;
      pending.clear();
      full = false;
      try {
        const answer = await fetch(url, {
          method: "POST",
          headers: { "Content-Type": "application/json", "User-Agent": "Herald publish hook" },
          body: JSON.stringify({ paths, full: wasFull, published_at: new Date().toISOString() }),
          signal: AbortSignal.timeout(HOOK_TIMEOUT_MS),
          redirect: "manual",
        });
        await answer.body?.cancel();
        if (!answer.ok) throw new Error(`it answered ${answer.status}`);
      } catch (error) {
        for (const path of paths) pending.add(path);
        full ||= wasFull;
        // The URL may carry a token (deploy hooks do): name its host only.
        log(
          `Herald: the publish hook at ${new URL(url).host} failed (${reason(error)}); it is called again after the next publish.`,
        );
        return;
      }
    }
  }

  return {
    notify(paths, isFull) {
      for (const path of paths) pending.add(path);
      full ||= isFull;
      if (pending.size === 0 && !full) return;
      queued = true;
      sending ??= send().finally(() => {
        sending = null;
      });
    },
    async idle() {
      while (sending) await sending;
    },
  };
}

function reason(error: unknown): string {
  if (error instanceof Error) return error.name === "TimeoutError" ? "no answer in 10 s" : error.message;
  return String(error);
}
