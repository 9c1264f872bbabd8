import {
  COMPONENT_STATUSES,
  type ComponentStatus,
  IMPACTS,
  type Impact,
  INCIDENT_STATUSES,
  type IncidentKind,
  type IncidentStatus,
  MAINTENANCE_STATUSES,
  type UpdateStatus,
} from "../../db/enums.ts";

export {
  COMPONENT_STATUSES,
  type ComponentStatus,
  IMPACTS,
  type Impact,
  INCIDENT_KINDS,
  INCIDENT_STATUSES,
  type IncidentKind,
  type IncidentStatus,
  MAINTENANCE_STATUSES,
  type MaintenanceStatus,
  UPDATE_STATUSES,
  type UpdateStatus,
} from "../../db/enums.ts";

/** The open statuses a resolved incident may be reopened in. */
export const REOPEN_STATUSES = [
  "investigating",
  "identified",
  "monitoring",
] as const satisfies readonly IncidentStatus[];

const IMPACT_OF_COMPONENT_STATUS: Record<ComponentStatus, Impact> = {
  operational: "none",
  under_maintenance: "maintenance",
  degraded_performance: "minor",
  partial_outage: "major",
  major_outage: "critical",
};

export function impactOfComponentStatus(status: ComponentStatus): Impact {
  return IMPACT_OF_COMPONENT_STATUS[status];
}

export function worstImpact(impacts: Iterable<Impact>): Impact {
  let worst: Impact = "none";
  for (const impact of impacts) if (IMPACTS.indexOf(impact) > IMPACTS.indexOf(worst)) worst = impact;
  return worst;
}

export function worstComponentStatus(statuses: Iterable<ComponentStatus>): ComponentStatus {
  let worst: ComponentStatus = "operational";
  for (const status of statuses) {
    if (COMPONENT_STATUSES.indexOf(status) > COMPONENT_STATUSES.indexOf(worst)) worst = status;
  }
  return worst;
}

export function isComponentStatus(status: string): status is ComponentStatus {
  return (COMPONENT_STATUSES as readonly string[]).includes(status);
}

export function statusesForKind(kind: IncidentKind): readonly UpdateStatus[] {
  return kind === "incident" ? INCIDENT_STATUSES : MAINTENANCE_STATUSES;
}

/** The status that closes an incident or maintenance, returning its components to operational. */
export function isClosingStatus(status: UpdateStatus): boolean {
  return status === "resolved" || status === "postmortem" || status === "completed";
}

/** Unresolved incidents and in-progress maintenances weigh on the page's status; scheduled ones do not yet. */
export function isActive(kind: IncidentKind, status: UpdateStatus): boolean {
  if (kind === "incident") return !isClosingStatus(status);
  return status === "in_progress" || status === "verifying";
}

/**
 * Impact computed from the component statuses an incident has set, unless overridden. An open incident
 * with no component changes is still at least minor: an incident the page calls harmless would lie.
 */
export function computeImpact(
  kind: IncidentKind,
  componentStatusesSet: Iterable<ComponentStatus>,
  override: Impact | null,
): Impact {
  if (override) return override;
  if (kind === "maintenance") return "maintenance";
  const fromComponents = worstImpact([...componentStatusesSet].map(impactOfComponentStatus));
  return fromComponents === "none" || fromComponents === "maintenance" ? "minor" : fromComponents;
}

export type Indicator = "none" | "minor" | "major" | "critical" | "maintenance";

export type PageStatus = { indicator: Indicator; description: string };

/**
 * The page's overall status: the worst of component statuses and active incident impacts, so the page
 * never reads "All Systems Operational" while an incident is open.
 */
export function rollupStatus(componentStatuses: ComponentStatus[], activeImpacts: Impact[]): PageStatus {
  const worstComponent = worstComponentStatus(componentStatuses);
  const indicator = worstImpact([impactOfComponentStatus(worstComponent), ...activeImpacts]);
  switch (indicator) {
    case "none":
      return { indicator, description: "All Systems Operational" };
    case "maintenance":
      return { indicator, description: "Service Under Maintenance" };
    case "minor":
      return {
        indicator,
        description: worstComponent === "degraded_performance" ? "Partially Degraded Service" : "Minor Service Outage",
      };
    case "major":
      return { indicator, description: "Partial System Outage" };
    case "critical":
      return { indicator, description: "Major System Outage" };
  }
}
