/**
 * What a set of figures is narrowed to: some components (a component, or a group's members), one commander
 * (null: incidents nobody commanded), both, or nothing (the whole page). Alerts, drafts, automated changes and
 * escalations follow the incidents they led to, and a component's also those that named it.
 */
import type { IncidentMetrics } from "./incident-metrics.ts";
import type { ReviewAlert, ReviewDraft, ReviewEscalation, ReviewStatusChange } from "./load-review-data.ts";

export type ScopeFilter = { componentIds: ReadonlySet<string> | null; commanderId: string | null | undefined };

export const WHOLE_PAGE: ScopeFilter = { componentIds: null, commanderId: undefined };

export type Scope = {
  filter: ScopeFilter;
  incident(metrics: IncidentMetrics): boolean;
  alert(alert: ReviewAlert): boolean;
  draft(draft: ReviewDraft): boolean;
  change(change: ReviewStatusChange): boolean;
  escalation(escalation: ReviewEscalation): boolean;
};

export function scopeOf(filter: ScopeFilter, metricsById: ReadonlyMap<string, IncidentMetrics>): Scope {
  const { componentIds, commanderId } = filter;
  const whole = componentIds === null && commanderId === undefined;
  const touches = (ids: readonly string[]) => componentIds === null || ids.some((id) => componentIds.has(id));
  const incident = (m: IncidentMetrics) =>
    touches(m.componentIds) && (commanderId === undefined || m.incident.commanderId === commanderId);
  const incidentId = (id: string | null) => {
    const metrics = id === null ? undefined : metricsById.get(id);
    return metrics !== undefined && incident(metrics);
  };
  const namesComponent = (ids: readonly string[]) => commanderId === undefined && touches(ids);
  return {
    filter,
    incident,
    alert: (a) => whole || namesComponent(a.componentIds) || a.incidentIds.some(incidentId),
    draft: (d) => whole || namesComponent(d.componentIds) || incidentId(d.incidentId),
    change: (c) => whole || namesComponent([c.componentId]) || incidentId(c.incidentId),
    escalation: (e) => whole || incidentId(e.incidentId),
  };
}
