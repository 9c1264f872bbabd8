/**
 * What the consistency check believes about the Herald it drives: the incidents and maintenances with
 * their status, window and promises, the subscribers with their scope, and every public event each
 * action should have told, in order. The Herald under test never writes here; each action's expected
 * effect is written by the test itself, from the product's documented rules.
 */

import type { AlertedComponent } from "./alerts.ts";

export const CLOSING = new Set(["resolved", "postmortem", "completed"]);

export type ModelIncident = {
  /** Null until a scheduled opening has opened. */
  id: string;
  kind: "incident" | "maintenance";
  name: string;
  status: string;
  /** Components its published updates touched (an event's scope, with their groups). */
  touched: Set<string>;
  /** Every published update's marker (a unique word in its body), to find it on each surface. */
  markers: string[];
  nextUpdateDueAt: string | null;
  overdueTold: Set<string>;
  scheduledFor: string | null;
  scheduledUntil: string | null;
  remindMinutes: number;
  /** When its window was last announced (opened or moved): a reminder is due only if this came before it. */
  announcedAt: string | null;
  remindedFor: Set<string>;
  autoStart: boolean;
  autoComplete: boolean;
  cancelled: boolean;
  postmortem: boolean;
  backfilled: boolean;
};

/** A timed update or scheduled opening the model waits to see published. */
export type PendingUpdate = {
  incidentId: string;
  publishAt: string;
  status: string;
  components: Record<string, string>;
  marker: string;
  nextUpdateInMinutes: number | null;
  deliver: boolean;
};

export type PendingOpening = {
  name: string;
  publishAt: string;
  status: string;
  components: Record<string, string>;
  marker: string;
  nextUpdateInMinutes: number | null;
};

export type ModelSubscriber = {
  id: string;
  label: string;
  channel: "email" | "webhook";
  address: string;
  /** Component or group ids, or null for the whole page. */
  scope: string[] | null;
  secret: string | null;
  /** The step from which it hears events (inclusive) and the step after which it hears none. */
  fromStep: number;
  untilStep: number | null;
};

export type ExpectedEvent = {
  step: number;
  kind: string;
  incidentId: string;
  /** The touched components and their groups at the time: the event's scope. */
  componentIds: string[];
  team: boolean;
};

export type Component = { id: string; name: string; groupId: string | null; group: boolean };

/** Inventory actions (owner, links, ticks, stage moves among prototype/development/production) change nothing public: no event, nothing to predict (test/consistency/inventory.ts). */
export class Model {
  incidents = new Map<string, ModelIncident>();
  timed: PendingUpdate[] = [];
  openings: PendingOpening[] = [];
  subscribers: ModelSubscriber[] = [];
  events: ExpectedEvent[] = [];
  /** The page's API address (`api_url`); null: the page's own origin. */
  apiUrl: string | null = null;
  /** The component only alerts move, and the alerts firing on it (test/consistency/alerts.ts). */
  alerted: AlertedComponent | null = null;
  step = 0;
  counter = 0;

  constructor(
    public readonly components: Component[],
    /** Part of every marker, so two seeds never share one. */
    private readonly tag: string,
  ) {}

  leaves(): Component[] {
    return this.components.filter((c) => !c.group);
  }

  /** A word that appears nowhere else, nor inside another marker (decimal count, then "q"): one body's marker. */
  marker(): string {
    this.counter += 1;
    return `mk${this.tag}x${this.counter}q`;
  }

  openIncidents(): ModelIncident[] {
    return [...this.incidents.values()].filter((i) => i.kind === "incident" && !CLOSING.has(i.status));
  }

  maintenances(...statuses: string[]): ModelIncident[] {
    return [...this.incidents.values()].filter((i) => i.kind === "maintenance" && statuses.includes(i.status));
  }

  /** The scope of an event about `incident`: every component it touched and their groups. */
  scopeOf(incident: ModelIncident): string[] {
    const ids = new Set<string>();
    for (const id of incident.touched) {
      ids.add(id);
      const group = this.components.find((c) => c.id === id)?.groupId;
      if (group) ids.add(group);
    }
    return [...ids].sort();
  }

  expect(kind: string, incident: ModelIncident, team = false): void {
    this.events.push({ step: this.step, kind, incidentId: incident.id, componentIds: this.scopeOf(incident), team });
  }

  /**
   * A published update, applied the way Herald's rules say (`kindOfIncidentChange`): which event it
   * tells, the status, the promise.
   */
  applyUpdate(
    incident: ModelIncident,
    update: {
      status: string;
      components: Record<string, string>;
      marker: string;
      nextUpdateInMinutes: number | null;
      deliver: boolean;
      at: string;
    },
  ): void {
    const before = incident.status;
    for (const id of Object.keys(update.components)) incident.touched.add(id);
    incident.markers.push(update.marker);
    incident.status = update.status;
    incident.nextUpdateDueAt =
      CLOSING.has(update.status) || !update.nextUpdateInMinutes
        ? null
        : new Date(Date.parse(update.at) + update.nextUpdateInMinutes * 60_000).toISOString();
    if (!update.deliver) return;
    if (incident.kind === "incident") {
      const wasClosed = CLOSING.has(before);
      if (CLOSING.has(update.status) && !wasClosed) this.expect("incident.resolved", incident);
      else this.expect("incident.updated", incident);
      return;
    }
    if (update.status === "completed" && before !== "completed") this.expect("maintenance.completed", incident);
    else if (before === "scheduled" && (update.status === "in_progress" || update.status === "verifying"))
      this.expect("maintenance.started", incident);
    else this.expect("maintenance.updated", incident);
  }

  /** What one scheduler tick at `now` should do, in the tick's order: open, publish, remind, start, complete, overdue. */
  tick(now: string, openedIdByName: (name: string) => string | null): void {
    const t = Date.parse(now);
    for (const opening of this.openings.filter((o) => Date.parse(o.publishAt) <= t)) {
      const id = openedIdByName(opening.name);
      if (!id) continue;
      const incident = this.newIncident(id, "incident", opening.name);
      this.applyOpen(incident, { ...opening, deliver: true, at: opening.publishAt });
    }
    this.openings = this.openings.filter((o) => Date.parse(o.publishAt) > t);
    const due = this.timed
      .filter((u) => Date.parse(u.publishAt) <= t)
      .sort((a, b) => Date.parse(a.publishAt) - Date.parse(b.publishAt));
    this.timed = this.timed.filter((u) => Date.parse(u.publishAt) > t);
    for (const update of due) {
      const incident = this.incidents.get(update.incidentId);
      // One due on an incident closed meanwhile is discarded, never published (a closed incident takes no update).
      if (incident && !CLOSING.has(incident.status)) this.applyUpdate(incident, { ...update, at: update.publishAt });
    }
    for (const m of this.maintenances("scheduled")) {
      if (!m.scheduledFor || m.remindMinutes <= 0) continue;
      const start = Date.parse(m.scheduledFor);
      const remindAt = start - m.remindMinutes * 60_000;
      if (t < remindAt || t >= start || m.remindedFor.has(m.scheduledFor)) continue;
      m.remindedFor.add(m.scheduledFor);
      // Announced inside the reminder window: subscribers were just told, a reminder is noise.
      if (m.announcedAt && Date.parse(m.announcedAt) >= remindAt) continue;
      this.expect("maintenance.reminder", m);
    }
    for (const m of this.maintenances("scheduled")) {
      if (m.autoStart && m.scheduledFor && Date.parse(m.scheduledFor) <= t) {
        m.status = "in_progress";
        this.expect("maintenance.started", m);
      }
    }
    for (const m of this.maintenances("in_progress", "verifying")) {
      if (m.autoComplete && m.scheduledUntil && Date.parse(m.scheduledUntil) <= t) {
        m.status = "completed";
        this.expect("maintenance.completed", m);
      }
    }
    for (const incident of this.openIncidents()) {
      const dueAt = incident.nextUpdateDueAt;
      if (!dueAt || Date.parse(dueAt) > t || incident.overdueTold.has(dueAt)) continue;
      incident.overdueTold.add(dueAt);
      this.expect("incident.update_overdue", incident, true);
    }
  }

  newIncident(id: string, kind: "incident" | "maintenance", name: string): ModelIncident {
    const incident: ModelIncident = {
      id,
      kind,
      name,
      status: kind === "incident" ? "investigating" : "scheduled",
      touched: new Set(),
      markers: [],
      nextUpdateDueAt: null,
      overdueTold: new Set(),
      scheduledFor: null,
      scheduledUntil: null,
      remindMinutes: 60,
      announcedAt: null,
      remindedFor: new Set(),
      autoStart: true,
      autoComplete: true,
      cancelled: false,
      postmortem: false,
      backfilled: false,
    };
    this.incidents.set(id, incident);
    return incident;
  }

  applyOpen(
    incident: ModelIncident,
    open: {
      status: string;
      components: Record<string, string>;
      marker: string;
      nextUpdateInMinutes: number | null;
      deliver: boolean;
      at: string;
    },
  ): void {
    for (const id of Object.keys(open.components)) incident.touched.add(id);
    incident.markers.push(open.marker);
    incident.status = open.status;
    incident.nextUpdateDueAt =
      incident.kind === "incident" && open.nextUpdateInMinutes
        ? new Date(Date.parse(open.at) + open.nextUpdateInMinutes * 60_000).toISOString()
        : null;
    if (incident.kind === "maintenance") incident.announcedAt = open.at;
    if (!open.deliver) return;
    if (incident.kind === "incident") this.expect("incident.opened", incident);
    else this.expect(open.status === "in_progress" ? "maintenance.started" : "maintenance.scheduled", incident);
  }

  /** The public events a subscriber should have heard so far, in order. */
  expectedFor(subscriber: ModelSubscriber): ExpectedEvent[] {
    return this.events.filter(
      (e) =>
        !e.team &&
        e.step >= subscriber.fromStep &&
        (subscriber.untilStep === null || e.step <= subscriber.untilStep) &&
        scopeTakes(subscriber.scope, e.componentIds),
    );
  }
}

/** Herald's documented scope rule: the whole page takes all; a scope takes page-wide events and its own. */
export function scopeTakes(scope: string[] | null, componentIds: string[]): boolean {
  if (scope === null || componentIds.length === 0) return true;
  return componentIds.some((id) => scope.includes(id));
}
