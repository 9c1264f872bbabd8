import { describe, expect, it } from "vitest";
import { RUNNER_TIMINGS } from "../../jobs/runner-timings.ts";
import { loadConfig } from "../../server/config.ts";

describe("the runner's heartbeat and takeover (HERALD_RUNNER_HEARTBEAT_MS, HERALD_RUNNER_TAKEOVER_MS)", () => {
  it("default to a 2 s heartbeat and a 10 s takeover, the same as the jobs' own defaults", () => {
    expect(loadConfig({}).runnerTimings).toEqual({ heartbeatMs: 2_000, takeoverMs: 10_000 });
    expect(loadConfig({}).runnerTimings).toEqual(RUNNER_TIMINGS);
  });

  it("are read from the environment", () => {
    const config = loadConfig({ HERALD_RUNNER_HEARTBEAT_MS: "500", HERALD_RUNNER_TAKEOVER_MS: "4000" });
    expect(config.runnerTimings).toEqual({ heartbeatMs: 500, takeoverMs: 4_000 });
  });

  it("refuse a takeover shorter than two heartbeats, saying why", () => {
    expect(() => loadConfig({ HERALD_RUNNER_HEARTBEAT_MS: "5000", HERALD_RUNNER_TAKEOVER_MS: "6000" })).toThrow(
      /HERALD_RUNNER_TAKEOVER_MS \(6000\) must be at least twice HERALD_RUNNER_HEARTBEAT_MS \(5000\)/,
    );
  });
});
