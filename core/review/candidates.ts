/**
 * A breakdown's candidate incidents: a component's figures need only the incidents that name it, a commander's
 * only theirs. `computeFigures` still applies the whole scope to them; narrowing first spares every breakdown
 * a pass over every incident of the period (a year holds 100,000).
 */
import type { PeriodRows } from "./figures.ts";
import type { IncidentMetrics } from "./incident-metrics.ts";
import type { ScopeFilter } from "./scope.ts";

export type Candidates = (narrower: Partial<ScopeFilter>) => PeriodRows;

export function candidatesOf(rows: PeriodRows): Candidates {
  const byComponent = new Map<string, IncidentMetrics[]>();
  const byCommander = new Map<string | null, IncidentMetrics[]>();
  for (const m of rows.metrics) {
    for (const id of m.componentIds) push(byComponent, id, m);
    push(byCommander, m.incident.commanderId, m);
  }
  return (narrower) => {
    const only = narrower.componentIds?.size === 1 ? [...narrower.componentIds][0] : undefined;
    if (only !== undefined) return { ...rows, metrics: byComponent.get(only) ?? [] };
    if (narrower.commanderId !== undefined) return { ...rows, metrics: byCommander.get(narrower.commanderId) ?? [] };
    return rows;
  };
}

function push<K>(groups: Map<K, IncidentMetrics[]>, key: K, m: IncidentMetrics): void {
  const group = groups.get(key);
  if (group) group.push(m);
  else groups.set(key, [m]);
}
