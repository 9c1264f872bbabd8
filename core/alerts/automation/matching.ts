import type { ComponentStatus } from "../../model/statuses.ts";
import { type Matcher, matchesAll, parseMatchers } from "../rules/matchers.ts";
import type { AlertRow, RuleRow } from "./state.ts";

/** One alert matched by one rule: the status it asks for, and whether it counts yet (flap damping). */
export type RuleMatch = {
  ruleId: string;
  alertId: string;
  status: ComponentStatus;
  /** When it has been firing for the rule's `for_seconds`. */
  countsAt: string;
  counted: boolean;
};

/** A rule's matchers, parsed once per evaluation; a rule whose stored matchers no longer parse matches nothing. */
export function compiledMatchers(rule: Pick<RuleRow, "matchers">): Matcher[] | null {
  try {
    return rule.matchers.flatMap((expression) => parseMatchers(expression));
  } catch {
    return null;
  }
}

/** Every (rule, firing alert) pair that matches: all matchers, and the rule's source filter. */
export function matchAlerts(rules: readonly RuleRow[], alerts: readonly AlertRow[], now: Date): RuleMatch[] {
  const found: RuleMatch[] = [];
  for (const rule of rules) {
    const matchers = compiledMatchers(rule);
    if (matchers === null) continue;
    for (const alert of alerts) {
      if (alert.status !== "firing") continue;
      if (rule.sourceIds.length > 0 && !rule.sourceIds.includes(alert.sourceId)) continue;
      if (!matchesAll(matchers, alert.labels)) continue;
      const since = new Date(firingSince(alert)).getTime();
      const countsAt = new Date(since + rule.forSeconds * 1000);
      found.push({
        ruleId: rule.id,
        alertId: alert.id,
        status: statusFor(rule, alert),
        countsAt: countsAt.toISOString(),
        counted: countsAt <= now,
      });
    }
  }
  return found;
}

/** When this firing episode began (the intake sets `firing_since`; an older row falls back to its first receipt). */
export function firingSince(alert: Pick<AlertRow, "firingSince" | "firstReceivedAt">): string {
  return alert.firingSince ?? alert.firstReceivedAt;
}

function statusFor(rule: Pick<RuleRow, "statuses">, alert: Pick<AlertRow, "severity">): ComponentStatus {
  const bySeverity = alert.severity ? rule.statuses[alert.severity] : undefined;
  return bySeverity ?? rule.statuses.default;
}

/** The earliest of ISO 8601 times (they sort as text), or null for none. */
export function earliest(times: readonly string[]): string | null {
  return [...times].sort()[0] ?? null;
}
