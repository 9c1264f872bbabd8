import type { EscalationLevel } from "./policy.ts";

/** Where one lapsed promise's escalation stands: the last level told (0: the commander) and when. */
export type EscalationState = { level: number; lastNotifiedAt: string } | null;

export type NextStep =
  /** Tell `level` now (0: the commander). */
  | { kind: "tell"; level: number }
  /** Pass over `level` without a notice: a daytime-only level at night, and no level after it. */
  | { kind: "pass"; level: number }
  | { kind: "wait" };

/**
 * What a tick does next for one lapsed promise, a pure function: first the commander (or, when nobody
 * commands it or they cannot be reached, level 1 at once); then each level once the previous was told
 * `delay_minutes` ago; a daytime-only level at night is passed over for the one after it.
 */
export function nextStep(
  state: EscalationState,
  levels: readonly EscalationLevel[],
  options: { commanderReachable: boolean; daytime: boolean; now: Date },
): NextStep {
  if (state === null) return options.commanderReachable || levels.length === 0 ? tell(0) : skipNight(1);
  const next = state.level + 1;
  const level = levels[next - 1];
  if (!level) return { kind: "wait" };
  const dueAt = new Date(state.lastNotifiedAt).getTime() + level.delay_minutes * 60_000;
  return options.now.getTime() >= dueAt ? skipNight(next) : { kind: "wait" };

  function skipNight(from: number): NextStep {
    let target = from;
    while (!options.daytime && levels[target - 1]?.daytime_only && target < levels.length) target++;
    return !options.daytime && levels[target - 1]?.daytime_only ? { kind: "pass", level: target } : tell(target);
  }
}

function tell(level: number): NextStep {
  return { kind: "tell", level };
}
