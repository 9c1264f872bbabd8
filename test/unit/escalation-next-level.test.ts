import { describe, expect, it } from "vitest";
import { isDaytime } from "../../core/escalation/daytime.ts";
import { nextStep } from "../../core/escalation/next-level.ts";
import type { EscalationLevel } from "../../core/escalation/policy.ts";

const level = (position: number, daytime_only = false): EscalationLevel => ({
  position,
  delay_minutes: 10,
  person_ids: [],
  team_channels: ["team_email"],
  daytime_only,
});
const now = new Date("2026-03-02T10:30:00.000Z");
const told = (n: number, minutesAgo: number) => ({
  level: n,
  lastNotifiedAt: new Date(now.getTime() - minutesAgo * 60_000).toISOString(),
});

describe("the next step of an escalation", () => {
  it("tells the commander first, or level 1 at once when nobody commands", () => {
    const levels = [level(1), level(2)];
    expect(nextStep(null, levels, { commanderReachable: true, daytime: true, now })).toEqual({
      kind: "tell",
      level: 0,
    });
    expect(nextStep(null, levels, { commanderReachable: false, daytime: true, now })).toEqual({
      kind: "tell",
      level: 1,
    });
  });

  it("waits for the level's delay, and stops after the last level", () => {
    const levels = [level(1), level(2)];
    const day = { commanderReachable: true, daytime: true, now };
    expect(nextStep(told(0, 9), levels, day)).toEqual({ kind: "wait" });
    expect(nextStep(told(0, 10), levels, day)).toEqual({ kind: "tell", level: 1 });
    expect(nextStep(told(2, 600), levels, day)).toEqual({ kind: "wait" });
  });

  it("passes over a daytime-only level at night", () => {
    const night = { commanderReachable: true, daytime: false, now };
    expect(nextStep(told(0, 10), [level(1, true), level(2)], night)).toEqual({ kind: "tell", level: 2 });
    expect(nextStep(told(0, 10), [level(1, true)], night)).toEqual({ kind: "pass", level: 1 });
  });

  it("reads daytime in the page's time zone", () => {
    expect(isDaytime(new Date("2026-03-02T10:00:00Z"), "Etc/UTC")).toBe(true);
    expect(isDaytime(new Date("2026-03-02T10:00:00Z"), "Pacific/Auckland")).toBe(false);
    expect(isDaytime(new Date("2026-03-02T21:00:00Z"), "not/a-zone")).toBe(false);
  });
});
