/** @jsxImportSource hono/jsx */

import type { ComponentStatus, Impact, UpdateStatus } from "../../../core/model/statuses.ts";
import { componentLook, impactLook, type Tone, updateStatusLook } from "../../../core/presentation/status.ts";
import { Icon, type IconName } from "./icons.tsx";

export type { Tone };

/** The console's icon for each tone: a shape per tone, as the public page has. */
const TONE_ICONS: Record<Tone, IconName> = {
  ok: "checkCircle",
  maint: "wrench",
  minor: "gauge",
  major: "alert",
  critical: "xCircle",
  info: "circle",
};

/** Short words for the one-click board, where five buttons share a row. */
export const COMPONENT_STATUS_SHORT: Record<ComponentStatus, string> = {
  operational: "Operational",
  under_maintenance: "Maintenance",
  degraded_performance: "Degraded",
  partial_outage: "Partial outage",
  major_outage: "Major outage",
};

/** The console's icon for a tone (the look's tone from core/presentation/status.ts). */
export function toneIcon(tone: Tone): IconName {
  return TONE_ICONS[tone];
}

export function ComponentStatusBadge(props: { status: ComponentStatus }) {
  const look = componentLook(props.status);
  return (
    <span class={`status s-${look.tone}`}>
      <Icon name={TONE_ICONS[look.tone]} />
      {look.label}
    </span>
  );
}

export function ImpactBadge(props: { impact: Impact }) {
  const look = impactLook(props.impact);
  return (
    <span class={`status s-${look.tone}`}>
      <Icon name={TONE_ICONS[look.tone]} />
      {look.label}
    </span>
  );
}

export function UpdateStatusBadge(props: { status: UpdateStatus }) {
  const look = updateStatusLook(props.status);
  const icon: IconName = look.tone === "ok" ? "check" : props.status === "scheduled" ? "calendar" : "circle";
  return (
    <span class="pill">
      <span class={`status s-${look.tone}`}>
        <Icon name={icon} size={12} />
      </span>
      {look.label}
    </span>
  );
}
