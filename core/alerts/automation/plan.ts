import { COMPONENT_STATUSES, type ComponentStatus, worstComponentStatus } from "../../model/statuses.ts";
import type { ComponentDecision } from "./decisions.ts";
import { type DraftDecision, planDrafts } from "./draft-plan.ts";
import { earliest, firingSince, matchAlerts, type RuleMatch } from "./matching.ts";
import type { AutomatedRow, AutomationState } from "./state.ts";

export type { ComponentDecision } from "./decisions.ts";

export type EvaluationPlan = {
  matches: RuleMatch[];
  components: ComponentDecision[];
  drafts: DraftDecision[];
  /** When the earliest matched alert still in damping starts to count: the next evaluation is due then. */
  nextDueAt: string | null;
};

const rank = (status: ComponentStatus) => COMPONENT_STATUSES.indexOf(status);

/**
 * The evaluation: a pure function of the loaded state and `now`. Per component, the desired status is the
 * worst asked by the counted alerts of the rules naming it (alerts that began before a person last set the
 * component directly do not count for it: the person answered them). The automation only raises a status a
 * person set, moves freely within its own hold, and restores when nothing holds it.
 */
export function planEvaluation(state: AutomationState, now: Date): EvaluationPlan {
  const matches = matchAlerts(state.rules, state.alerts, now);
  const waiting = matches.filter((match) => !match.counted).map((match) => match.countsAt);
  const nextDueAt = earliest(waiting);
  const leaves = new Map(state.components.filter((c) => !c.isGroup).map((c) => [c.id, c]));
  const automated = new Map(state.automated.map((row) => [row.componentId, row]));
  const targets = new Set([...state.rules.flatMap((rule) => rule.componentIds), ...automated.keys()]);
  const decisions: ComponentDecision[] = [];
  for (const componentId of targets) {
    const component = leaves.get(componentId);
    if (!component) continue;
    const decision = decide(
      state,
      componentId,
      component.status,
      countedFor(state, matches, componentId),
      automated.get(componentId) ?? null,
    );
    if (decision) decisions.push(decision);
  }
  return { matches, components: decisions, drafts: planDrafts(state, matches, decisions, now), nextDueAt };
}

type Counted = RuleMatch & { firingSince: string };

/** The counted matches of the rules naming the component, without those a person answered since. */
function countedFor(state: AutomationState, matches: RuleMatch[], componentId: string): Counted[] {
  const rules = new Set(state.rules.filter((rule) => rule.componentIds.includes(componentId)).map((rule) => rule.id));
  const alerts = new Map(state.alerts.map((alert) => [alert.id, alert]));
  const personAt = state.personChangedAt[componentId];
  return matches.flatMap((match) => {
    const alert = alerts.get(match.alertId);
    if (!match.counted || !rules.has(match.ruleId) || !alert) return [];
    const since = firingSince(alert);
    return personAt !== undefined && since <= personAt ? [] : [{ ...match, firingSince: since }];
  });
}

function decide(
  state: AutomationState,
  componentId: string,
  current: ComponentStatus,
  counted: Counted[],
  row: AutomatedRow | null,
): ComponentDecision | null {
  const desired = counted.length > 0 ? worstComponentStatus(counted.map((match) => match.status)) : null;
  const holds = state.holds.filter((hold) => hold.componentId === componentId);
  const maintenance = holds.find((hold) => hold.kind === "maintenance") ?? null;
  const incident = holds.find((hold) => hold.kind === "incident") ?? null;
  if (maintenance || current === "under_maintenance" || incident) {
    if (desired === null) return null;
    const reason = maintenance || current === "under_maintenance" ? "maintenance" : "incident";
    const since = earliest(counted.map((match) => match.firingSince)) ?? "";
    return {
      kind: "skip",
      componentId,
      reason,
      hold: reason === "maintenance" ? maintenance : incident,
      desired,
      since,
    };
  }
  const personAt = state.personChangedAt[componentId];
  const released = row && (row.status !== current || (personAt !== undefined && personAt > row.since)) ? row : null;
  const hold = released ? null : row;
  const alertIds = [...new Set(counted.map((match) => match.alertId))].sort();
  const ruleIds = [...new Set(counted.map((match) => match.ruleId))].sort();
  const worst = counted.find((match) => match.status === desired);
  if (hold === null) {
    if (desired !== null && worst && rank(desired) > rank(current)) {
      const move = { componentId, from: current, to: desired, restoreStatus: current, alertId: worst.alertId };
      return { kind: "move", ...move, alertIds, ruleIds, existing: null, released };
    }
    return released ? { kind: "release", componentId, status: current, existing: released } : null;
  }
  if (desired === null || !worst) {
    return { kind: "restore", componentId, from: current, to: hold.restoreStatus, existing: hold };
  }
  const target = rank(desired) > rank(hold.restoreStatus) ? desired : hold.restoreStatus;
  if (target !== current) {
    const move = { componentId, from: current, to: target, restoreStatus: hold.restoreStatus, alertId: worst.alertId };
    return { kind: "move", ...move, alertIds, ruleIds, existing: hold, released: null };
  }
  const same = (a: string[], b: string[]) => a.length === b.length && a.every((id, i) => id === [...b].sort()[i]);
  if (same(alertIds, hold.alertIds) && same(ruleIds, hold.ruleIds)) return null;
  return { kind: "regroup", componentId, existing: hold, alertIds, ruleIds };
}
