import type { ComponentStatus, Impact, Indicator, UpdateStatus } from "../../../core/statuses.ts";

/**
 * A tone is the colour and icon of a status. It is never the only signal: every tone is shown next
 * to words that carry the meaning (icons are aria-hidden).
 */
export type Tone = "ok" | "minor" | "major" | "critical" | "maint" | "info";

const COMPONENT_TONES: Record<ComponentStatus, Tone> = {
  operational: "ok",
  degraded_performance: "minor",
  partial_outage: "major",
  major_outage: "critical",
  under_maintenance: "maint",
};

const INDICATOR_TONES: Record<Indicator, Tone> = {
  none: "ok",
  minor: "minor",
  major: "major",
  critical: "critical",
  maintenance: "maint",
};

const IMPACT_TONES: Record<Impact, Tone> = {
  none: "info",
  minor: "minor",
  major: "major",
  critical: "critical",
  maintenance: "maint",
};

export const componentTone = (status: ComponentStatus): Tone => COMPONENT_TONES[status];
export const indicatorTone = (indicator: Indicator): Tone => INDICATOR_TONES[indicator];
export const impactTone = (impact: Impact): Tone => IMPACT_TONES[impact];

const isClosed = (status: UpdateStatus) => status === "resolved" || status === "postmortem" || status === "completed";

/** The colour of an incident or update: its impact while open; settled once closed. */
export function updateTone(status: UpdateStatus, impact: Impact): Tone {
  if (isClosed(status)) return "ok";
  if (status === "scheduled") return "info";
  return impactTone(impact);
}

/** The tone of a lifecycle status tag: neutral while open (the impact tag carries the severity). */
export function statusTone(status: UpdateStatus): Tone {
  if (isClosed(status)) return "ok";
  if (status === "in_progress" || status === "verifying") return "maint";
  return "info";
}

/** "Major impact", "No impact", "Maintenance". */
export function impactText(impact: Impact, label: string): string {
  if (impact === "none" || impact === "maintenance") return label;
  return `${label} impact`;
}
