import type { Clock } from "../../core/actions/clock.ts";
import { pruneDeliveries } from "../../core/notifications/prune-deliveries.ts";
import type { Db } from "../../db/client.ts";

/** How often old delivery rows are pruned; the first run waits a minute so a start is not slowed. */
export const PRUNE_EVERY_MS = 60 * 60_000;
const FIRST_PRUNE_MS = 60_000;

/**
 * Prunes sent and failed delivery rows past `retentionMs` (DELIVERY_RETENTION) every hour, in bounded
 * batches (core/notifications/prune-deliveries.ts); the counters the admin sees stay. One run at a time.
 */
export function startDeliveryPruning(
  db: Db,
  clock: Clock,
  retentionMs: number,
  log: (message: string, error?: unknown) => void = console.error,
): { stop(): Promise<void> } {
  if (retentionMs <= 0) return { stop: async () => {} };
  let pruning: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const prune = () => {
    pruning = pruning.then(() =>
      stopped
        ? 0
        : pruneDeliveries(db, clock.now(), retentionMs).catch((error: unknown) =>
            log("Herald: could not prune old deliveries; trying again next hour.", error),
          ),
    );
  };
  const first = setTimeout(prune, FIRST_PRUNE_MS);
  const timer = setInterval(prune, PRUNE_EVERY_MS);
  first.unref();
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
      await pruning;
    },
  };
}
