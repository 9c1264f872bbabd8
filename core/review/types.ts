/**
 * The reliability review (docs/review.md): figures computed from the rows already kept, for a period and the
 * previous period of the same length. Every figure names the incidents behind it, so a screen can link them.
 * Durations are minutes, rounded to one decimal.
 */
import type { ComponentStatus, Impact, IncidentStatus, MaintenanceStatus } from "../../db/enums.ts";

/** A half-open interval of instants, `[from, to)`, as UTC ISO 8601 strings. */
export type ReviewPeriod = { from: string; to: string };

/** A count and the incidents (or maintenances) it counts. */
export type Counted = { count: number; incidentIds: string[] };

/** One incident's measured duration in minutes. */
export type IncidentMinutes = { incidentId: string; name: string; minutes: number };

/** A distribution of per-incident durations (time to first post, time to resolve). */
export type Distribution = {
  /** How many incidents were measured (those with the moment measured to, e.g. a first post). */
  count: number;
  /** Nearest-rank percentiles over the measured minutes; null when nothing was measured. */
  median: number | null;
  p90: number | null;
  /** The longest, or null when nothing was measured. */
  worst: IncidentMinutes | null;
  /** The measured incidents in fixed buckets (the chart's distribution). */
  histogram: HistogramBucket[];
  incidentIds: string[];
};

/** Incidents whose duration is at least `fromMinutes` and under `toMinutes` (null: no upper bound). */
export type HistogramBucket = { fromMinutes: number; toMinutes: number | null; count: number; incidentIds: string[] };

/** A promised next update that came late (or has not come, and its time has passed: `answeredAt` null). */
export type LatePromise = {
  incidentId: string;
  /** The update that promised (null when an acknowledgement made the promise). */
  updateId: string | null;
  promisedBy: string;
  answeredAt: string | null;
  minutesLate: number;
};

/** "Next update by" promises whose time fell due: how many were kept, and the late ones by how late. */
export type Promises = {
  /** Promises whose time has come (kept or late); a promise still standing before its time is not counted. */
  due: number;
  kept: number;
  /** kept / due as a percentage, or null when nothing fell due. */
  keptPercent: number | null;
  /** Longest late first. */
  late: LatePromise[];
  incidentIds: string[];
};

/** The minutes a component spent in each status over the period, and uptime by the documented rule. */
export type Uptime = {
  /** Null when no minute of the period counted (all maintenance, or no component existed). */
  percent: number | null;
  minutes: Record<ComponentStatus, number>;
  /** The incidents whose status changes moved the measured components during the period. */
  incidentIds: string[];
};

/**
 * Minutes under one incident or maintenance status, summed over the period's incidents: each update's status
 * holds from its display time to the next update's (the last open one until now).
 */
export type StatusTime = { status: IncidentStatus | MaintenanceStatus; minutes: number; incidentIds: string[] };

/** The maintenances of the period, and those that ran past `scheduled_until`. */
export type Maintenances = Counted & {
  overran: Counted & { minutes: number; items: IncidentMinutes[] };
};

/** Escalations (docs/team.md) by the last level told: 0 is the commander, then the policy's positions. */
export type EscalationLevelCount = { level: number; count: number; incidentIds: string[] };

export type Figures = {
  incidents: Counted & { byImpact: Record<Impact, Counted> };
  maintenances: Maintenances;
  /** From the start (or the first alert that led to it) to the first public update's display time. */
  firstPost: Distribution;
  promises: Promises;
  /** From the start to the resolution, for the incidents resolved. */
  resolve: Distribution;
  timeUnderStatus: StatusTime[];
  /** Null for a commander's figures: uptime belongs to components. */
  uptime: Uptime | null;
  /** Alerts first received in the period; `incidentIds` the incidents their drafts became. */
  alerts: Counted & { alertIds: string[] };
  drafts: { published: Counted & { draftIds: string[] }; discarded: { count: number; draftIds: string[] } };
  /** Component status changes the alert automation made (`alert_id` set). */
  automatedChanges: Counted & { componentIds: string[] };
  escalations: Counted & { byLevel: EscalationLevelCount[] };
};

/** A component's target (percent) against its uptime: met, or missed by so many percentage points. */
export type TargetVerdict = { target: number; met: boolean; byPoints: number };

export type ComponentFigures = {
  componentId: string;
  name: string;
  uptimeTarget: number | null;
  /** Null when no target is set or no minute counted. */
  target: TargetVerdict | null;
  figures: Figures;
  previous: Figures;
};

export type CommanderFigures = {
  /** Null: incidents nobody commanded. */
  commanderId: string | null;
  name: string;
  figures: Figures;
  previous: Figures;
};

/** An incident in a worst list, with the figure it is listed for. */
export type IncidentRef = { incidentId: string; name: string; startedAt: string; minutes: number; missed?: number };

export type Review = {
  period: ReviewPeriod;
  previous: ReviewPeriod;
  /** The filters the review was narrowed to. */
  filter: { componentId: string | null; commanderId: string | null };
  overall: Figures;
  previousOverall: Figures;
  byComponent: ComponentFigures[];
  byCommander: CommanderFigures[];
  worst: {
    /** Longest time to first public post first. */
    byFirstPost: IncidentRef[];
    /** Most minutes late (summed over its late promises) first; `missed` is how many promises were late. */
    byMissedPromises: IncidentRef[];
  };
  /** The incidents of the period with their own figures (the CSV's rows). */
  incidents: IncidentRow[];
  generatedAt: string;
};

/** One incident or maintenance of the period with its figures (null where not measured). */
export type IncidentRow = {
  incidentId: string;
  kind: "incident" | "maintenance";
  name: string;
  impact: Impact;
  startedAt: string;
  resolvedAt: string | null;
  commanderId: string | null;
  componentIds: string[];
  firstPostMinutes: number | null;
  resolveMinutes: number | null;
  promisesDue: number;
  promisesKept: number;
  minutesLate: number;
  overrunMinutes: number | null;
};

/** What the review is asked for; `from`/`to` are instants (the route turns dates into the page's midnights). */
export type ReviewQuery = { from: string; to: string; componentId?: string; commanderId?: string };
