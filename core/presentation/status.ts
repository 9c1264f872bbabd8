import type { ComponentStatus, Impact, IncidentKind, Indicator, UpdateStatus } from "../model/statuses.ts";

/** The colour family of a status. Never the only signal: a label in words and a symbol go with it. */
export type Tone = "ok" | "minor" | "major" | "critical" | "maint" | "info";

/** How a status is shown on every surface (page, mail, feed, console). */
export type Look = {
  label: string;
  tone: Tone;
  /** A text symbol whose shape differs per tone, for surfaces without the page's icons (mail, plain text). */
  symbol: string;
  /** The tone's colour on a light background (the page's stylesheet has its dark-scheme twin). */
  colour: string;
};

const SYMBOLS: Record<Tone, string> = { ok: "✓", minor: "■", major: "▲", critical: "✕", maint: "◆", info: "●" };
const COLOURS: Record<Tone, string> = {
  ok: "#1a7f37",
  minor: "#946300",
  major: "#bc4c00",
  critical: "#cf222e",
  maint: "#0969da",
  info: "#57606a",
};

function look(label: string, tone: Tone): Look {
  return { label, tone, symbol: SYMBOLS[tone], colour: COLOURS[tone] };
}

/** A tone's colour where a surface takes it bare (a chat embed's stripe). */
export function toneColour(tone: Tone): string {
  return COLOURS[tone];
}

const COMPONENT_LOOKS: Record<ComponentStatus, Look> = {
  operational: look("Operational", "ok"),
  under_maintenance: look("Under maintenance", "maint"),
  degraded_performance: look("Degraded performance", "minor"),
  partial_outage: look("Partial outage", "major"),
  major_outage: look("Major outage", "critical"),
};

/** A lifecycle status's tag is neutral while open (the impact carries the severity), settled once closed. */
const UPDATE_STATUS_LOOKS: Record<UpdateStatus, Look> = {
  investigating: look("Investigating", "info"),
  identified: look("Identified", "info"),
  monitoring: look("Monitoring", "info"),
  resolved: look("Resolved", "ok"),
  postmortem: look("Postmortem", "ok"),
  scheduled: look("Scheduled", "info"),
  in_progress: look("In progress", "maint"),
  verifying: look("Verifying", "maint"),
  completed: look("Completed", "ok"),
};

const IMPACT_LOOKS: Record<Impact, Look> = {
  none: look("No impact", "info"),
  maintenance: look("Maintenance", "maint"),
  minor: look("Minor impact", "minor"),
  major: look("Major impact", "major"),
  critical: look("Critical impact", "critical"),
};

const INDICATOR_LOOKS: Record<Indicator, Look> = {
  none: look("Operational", "ok"),
  maintenance: look("Under maintenance", "maint"),
  minor: look("Minor issues", "minor"),
  major: look("Partial outage", "major"),
  critical: look("Major outage", "critical"),
};

export const componentLook = (status: ComponentStatus): Look => COMPONENT_LOOKS[status];
/** An incident's or maintenance's lifecycle status: "Investigating", "In progress", "Resolved", … */
export const updateStatusLook = (status: UpdateStatus): Look => UPDATE_STATUS_LOOKS[status];
/** "No impact", "Minor impact", …, "Maintenance": complete words, never followed by another "impact". */
export const impactLook = (impact: Impact): Look => IMPACT_LOOKS[impact];
export const indicatorLook = (indicator: Indicator): Look => INDICATOR_LOOKS[indicator];

/** The colour of an incident or one of its updates: its impact while open, settled once closed. */
export function incidentTone(status: UpdateStatus, impact: Impact): Tone {
  const statusTone = UPDATE_STATUS_LOOKS[status].tone;
  if (statusTone === "ok") return "ok";
  if (status === "scheduled") return "info";
  return IMPACT_LOOKS[impact].tone;
}

const CLOSING_STATUS = { incident: "resolved", maintenance: "completed" } as const;

/** The status that closes each kind: an incident is resolved, a maintenance completed. */
export function closingStatus<K extends IncidentKind>(kind: K): (typeof CLOSING_STATUS)[K] {
  return CLOSING_STATUS[kind];
}

export const KIND_LABELS: Record<IncidentKind, string> = { incident: "Incident", maintenance: "Scheduled maintenance" };
