/** How often a runner beats its heartbeats, and the silence after which another runner takes over from it. */
export type RunnerTimings = { heartbeatMs: number; takeoverMs: number };

/**
 * 2 s and 10 s: a runner SIGKILLed on another machine is replaced within 10-12 s; one killed on the same
 * machine (a restart) at the next attempt; a graceful stop hands over at once.
 */
export const RUNNER_TIMINGS: RunnerTimings = { heartbeatMs: 2_000, takeoverMs: 10_000 };
