/** @jsxImportSource hono/jsx */
import {
  COMPONENT_STATUS_LABELS,
  type ComponentStatus,
  IMPACT_LABELS,
  type Impact,
  type Indicator,
  UPDATE_STATUS_LABELS,
  type UpdateStatus,
} from "../../../core/statuses.ts";
import { Icon, type IconName } from "./icons.tsx";

export type Tone = "ok" | "maint" | "minor" | "major" | "critical" | "neutral";

const COMPONENT_LOOK: Record<ComponentStatus, [Tone, IconName]> = {
  operational: ["ok", "checkCircle"],
  under_maintenance: ["maint", "wrench"],
  degraded_performance: ["minor", "gauge"],
  partial_outage: ["major", "alert"],
  major_outage: ["critical", "xCircle"],
};

/** Short words for the one-click board, where five buttons share a row. */
export const COMPONENT_STATUS_SHORT: Record<ComponentStatus, string> = {
  operational: "Operational",
  under_maintenance: "Maintenance",
  degraded_performance: "Degraded",
  partial_outage: "Partial outage",
  major_outage: "Major outage",
};

/** Page indicators and incident impacts share their levels, and so their look. */
const LEVEL_LOOK: Record<Indicator & Impact, [Tone, IconName]> = {
  none: ["ok", "checkCircle"],
  maintenance: ["maint", "wrench"],
  minor: ["minor", "gauge"],
  major: ["major", "alert"],
  critical: ["critical", "xCircle"],
};

export function componentLook(status: ComponentStatus): [Tone, IconName] {
  return COMPONENT_LOOK[status];
}

export function indicatorLook(indicator: Indicator): [Tone, IconName] {
  return LEVEL_LOOK[indicator];
}

export function ComponentStatusBadge(props: { status: ComponentStatus }) {
  const [tone, icon] = COMPONENT_LOOK[props.status];
  return (
    <span class={`status s-${tone}`}>
      <Icon name={icon} />
      {COMPONENT_STATUS_LABELS[props.status]}
    </span>
  );
}

/** "Major impact", but "No impact" as it is (the label already says it). */
export function impactText(impact: Impact): string {
  return impact === "none" ? IMPACT_LABELS.none : `${IMPACT_LABELS[impact]} impact`;
}

export function ImpactBadge(props: { impact: Impact }) {
  const [tone, icon] = LEVEL_LOOK[props.impact];
  return (
    <span class={`status s-${tone}`}>
      <Icon name={icon} />
      {impactText(props.impact)}
    </span>
  );
}

export function UpdateStatusBadge(props: { status: UpdateStatus }) {
  const closed = props.status === "resolved" || props.status === "completed" || props.status === "postmortem";
  return (
    <span class="pill">
      <span class={`status s-${closed ? "ok" : props.status === "scheduled" ? "maint" : "neutral"}`}>
        <Icon name={closed ? "check" : props.status === "scheduled" ? "calendar" : "circle"} size={12} />
      </span>
      {UPDATE_STATUS_LABELS[props.status]}
    </span>
  );
}
