import type { Clock } from "../../core/actions/clock.ts";
import type { Db } from "../../db/client.ts";
import { fanOut } from "../notify/fan-out.ts";
import type { JobHandler } from "../runner.ts";

/** Fans each due event out into deliveries, then wakes the sender. */
export function notifyHandler(db: Db, clock: Clock, options: { onQueued?: () => void } = {}): JobHandler<"notify"> {
  return async (due) => {
    let queued = 0;
    for (const job of due) queued += await fanOut(db, clock, job.payload.eventId);
    if (queued > 0) options.onQueued?.();
  };
}
