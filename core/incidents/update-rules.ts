import { eq } from "drizzle-orm";
import { components, incidentUpdates, updateComponents } from "../../db/schema.ts";
import updateBodies from "../../templates/update-bodies.json" with { type: "json" };
import { invalid } from "../actions/errors.ts";
import type { Statement } from "../changes/commit.ts";
import { newId } from "../model/ids.ts";
import type { ComponentRow, IncidentRecord, UpdateComponentRow, UpdateRecord, UpdateRow } from "../model/rows.ts";
import {
  type ComponentStatus,
  type IncidentKind,
  isClosingStatus,
  statusesForKind,
  type UpdateStatus,
  worstComponentStatus,
} from "../model/statuses.ts";
import { takeScheduledAction } from "../scheduler/scheduled-actions.ts";
import { renderMarkdown } from "../text/markdown.ts";
import { statusChangeStatements } from "../uptime/record-status-change.ts";
import type { IncidentState } from "./incident-state.ts";
import { byComponentName } from "./load-incidents.ts";

export type UpdateRequest = {
  status: UpdateStatus;
  body?: string | undefined;
  components?: Record<string, ComponentStatus> | undefined;
  deliverNotifications?: boolean | undefined;
  displayAt?: string | undefined;
  /** The promise this update makes; null: none. */
  nextUpdateInMinutes?: number | null | undefined;
  /** Who wrote it (the token's name). */
  by: string;
};

/** The update part of an API request body; `status` defaults to the incident's current one. */
export function updateRequestFrom(
  input: {
    status?: UpdateStatus | undefined;
    body?: string | undefined;
    components?: Record<string, ComponentStatus> | undefined;
    deliver_notifications?: boolean | undefined;
    display_at?: string | undefined;
    next_update_in_minutes?: number | null | undefined;
  },
  currentStatus: UpdateStatus,
  by: string,
  /** The page's default cadence, promised when the update names none (incidents only). */
  defaultCadenceMinutes: number | null = null,
): UpdateRequest {
  return {
    status: input.status ?? currentStatus,
    body: input.body,
    components: input.components,
    deliverNotifications: input.deliver_notifications,
    displayAt: input.display_at,
    nextUpdateInMinutes:
      input.next_update_in_minutes === undefined ? defaultCadenceMinutes : input.next_update_in_minutes,
    by,
  };
}

/** An update as written: checked, with the time it takes effect (`publishAt`), not yet applied. */
export type WrittenUpdate = { row: UpdateRow; kind: IncidentKind; components: Map<string, ComponentStatus> };

/** What applying an update did: its component changes and the components as they are after it. */
export type AppliedUpdate = {
  update: UpdateRecord;
  statements: Statement[];
  /** Every component row the update changed, as it is after. */
  changed: ComponentRow[];
  /** Statuses this update set, for the incident's computed impact. */
  statusesSet: ComponentStatus[];
};

const FUTURE_SLACK_MS = 60_000;

/**
 * Writes an update of an incident (`incident` is null for the first update of a new one): checks its
 * status, shown time and components and builds its row. It takes effect at `publishAt`, which is now:
 * a timed update stores the row as a deferred run (`scheduled_actions`) with a later `publishAt`, and
 * `applyUpdate` applies it when it is due.
 */
export function writeUpdate(
  state: IncidentState,
  incident: { id: string; kind: IncidentKind; record: IncidentRecord | null },
  request: UpdateRequest,
  now: Date,
): WrittenUpdate {
  assertStatusFitsKind(incident.kind, request.status);
  const displayAt = resolveDisplayAt(request.displayAt, now, incident.record && earliestDisplayAt(incident.record));
  const requested = request.components ?? {};
  checkUpdateComponents(state.components, requested);
  const nowIso = now.toISOString();
  const { bodyMd, bodyHtml } = updateBody(request.body, request.status);
  return {
    row: {
      id: newId(),
      incidentId: incident.id,
      status: request.status,
      bodyMd,
      bodyHtml,
      displayAt,
      createdAt: nowIso,
      updatedAt: nowIso,
      deliverNotifications: request.deliverNotifications ?? true,
      createdBy: request.by,
      publishAt: nowIso,
      publishedAt: null,
      nextUpdateInMinutes: request.nextUpdateInMinutes ?? null,
      scheduledComponents: null,
    },
    kind: incident.kind,
    components: new Map(Object.entries(requested)),
  };
}

/** An update's text as stored: the Markdown (the status's default when none is given) and its sanitized HTML. */
export function updateBody(body: string | undefined, status: UpdateStatus): { bodyMd: string; bodyHtml: string } {
  const bodyMd = body?.trim() || updateBodies[status];
  return { bodyMd, bodyHtml: renderMarkdown(bodyMd) };
}

/** Refuses (422 naming `components.<id>`) a component that does not exist or is a group. */
export function checkUpdateComponents(all: ComponentRow[], requested: Record<string, ComponentStatus>): void {
  const byId = new Map(all.map((c) => [c.id, c]));
  const fieldErrors = Object.keys(requested).flatMap((id) => {
    const component = byId.get(id);
    if (!component) return [{ path: `components.${id}`, message: "no such component" }];
    if (component.isGroup)
      return [{ path: `components.${id}`, message: "a group takes its status from its components" }];
    return [];
  });
  if (fieldErrors.length > 0) {
    throw invalid(
      `Unknown or unusable component(s): ${fieldErrors.map((e) => e.path.slice(11)).join(", ")}.`,
      fieldErrors,
    );
  }
}

/**
 * Applies a written update at `now`: the component changes it asks for and, on a closing status, the
 * return of the incident's other components to operational (unless another open incident still holds
 * them down). Old statuses are read from `state`, i.e. as they are when the update takes effect.
 * A maintenance's "scheduled" update only announces its components: they change when it starts.
 */
export function applyUpdate(
  state: IncidentState,
  record: IncidentRecord | null,
  written: WrittenUpdate,
  now: Date,
): AppliedUpdate {
  const { row } = written;
  const nowIso = now.toISOString();
  const byId = new Map(state.components.map((c) => [c.id, c]));
  const changes = new Map(written.components);
  const announcesOnly = written.kind === "maintenance" && row.status === "scheduled";
  // Starting a maintenance (by the scheduler or by hand) sets the components it announced.
  if (
    record?.kind === "maintenance" &&
    record.status === "scheduled" &&
    !announcesOnly &&
    !isClosingStatus(row.status)
  ) {
    for (const [id, status] of lastStatusSet(record)) {
      if (!changes.has(id)) changes.set(id, composedStatus(state, id, record.id, status));
    }
  }
  if (record && isClosingStatus(row.status) && record.status !== "scheduled") {
    for (const id of record.componentIds) {
      if (changes.has(id)) continue;
      const restored = composedStatus(state, id, record.id, "operational");
      if (byId.get(id)?.status !== restored) changes.set(id, restored);
    }
  }
  const statements: Statement[] = [];
  const componentChanges: UpdateComponentRow[] = [];
  const changed: ComponentRow[] = [];
  for (const [componentId, newStatus] of changes) {
    const component = byId.get(componentId);
    if (!component) continue;
    const oldStatus = component.status;
    const change = {
      updateId: row.id,
      incidentId: row.incidentId,
      componentId,
      componentName: component.name,
      oldStatus,
      newStatus,
    };
    componentChanges.push(change);
    statements.push(state.db.insert(updateComponents).values(change));
    if (oldStatus === newStatus || announcesOnly) continue;
    changed.push({ ...component, status: newStatus, updatedAt: nowIso });
    statements.push(
      state.db.update(components).set({ status: newStatus, updatedAt: nowIso }).where(eq(components.id, componentId)),
      ...statusChangeStatements(state.db, {
        componentId,
        oldStatus,
        newStatus,
        at: nowIso,
        incidentId: row.incidentId,
        updateId: row.id,
      }),
    );
  }
  return {
    update: { ...row, publishedAt: nowIso, componentChanges: componentChanges.sort(byComponentName) },
    statements,
    changed,
    statusesSet: [...changes.values()],
  };
}

/**
 * The publication of a timed update already stored: its deferred run is taken (the batch fails when it
 * was published or cancelled meanwhile: another tick, a DELETE) and the update is written as applied.
 */
export function publishStatements(state: IncidentState, update: UpdateRecord): Statement[] {
  return [
    ...takeScheduledAction(state.db, "update.publish", update.id),
    insertUpdate(state, { ...update, scheduledComponents: null }),
  ];
}

/** The insert of an update that takes effect as it is written. */
export function insertUpdate(state: IncidentState, update: UpdateRecord): Statement {
  const { componentChanges: _, ...row } = update;
  return state.db.insert(incidentUpdates).values(row);
}

function assertStatusFitsKind(kind: IncidentKind, status: UpdateStatus): void {
  const allowed = statusesForKind(kind);
  if (!allowed.includes(status)) {
    throw invalid(`"${status}" is not a status of ${kind === "incident" ? "an incident" : "a maintenance"}.`, [
      { path: "status", message: `use one of ${allowed.join(", ")}` },
    ]);
  }
}

/**
 * The earliest time an update of this incident may show: its start. A maintenance is announced before
 * its window, so for one it is the earlier of its start and when it was scheduled.
 */
export function earliestDisplayAt(incident: { kind: IncidentKind; startedAt: string; createdAt: string }): string {
  if (incident.kind === "incident") return incident.startedAt;
  const [earliest = incident.startedAt] = [incident.createdAt, incident.startedAt].sort();
  return earliest;
}

/** The shown time of an update: now, or a given time between the incident's start and now. */
export function resolveDisplayAt(displayAt: string | undefined, now: Date, earliest: string | null): string {
  if (displayAt === undefined) return now.toISOString();
  const at = new Date(displayAt);
  if (at.getTime() > now.getTime() + FUTURE_SLACK_MS) {
    throw invalid("display_at cannot be in the future.", [
      { path: "display_at", message: "must not be in the future" },
    ]);
  }
  if (earliest !== null && at.getTime() < new Date(earliest).getTime()) {
    throw invalid(`display_at cannot be before the incident started (${earliest}).`, [
      { path: "display_at", message: `must not be before the incident started (${earliest})` },
    ]);
  }
  return at.toISOString();
}

/** Each component the incident's updates named, with the status the last of them (by writing) set. */
export function lastStatusSet(record: IncidentRecord): Map<string, ComponentStatus> {
  const statuses = new Map<string, ComponentStatus>();
  const byWriting = [...record.updates]
    .reverse()
    .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
  for (const update of byWriting) {
    for (const change of update.componentChanges) statuses.set(change.componentId, change.newStatus);
  }
  return statuses;
}

/**
 * What a component shows when `incidentId` sets it to `own`: the worst of that and what every other
 * open incident holds it at, so overlapping incidents and maintenances compose (closing one returns a
 * component to what the others still hold, or to operational).
 */
export function composedStatus(
  state: IncidentState,
  componentId: string,
  incidentId: string,
  own: ComponentStatus,
): ComponentStatus {
  const held: ComponentStatus[] = [own];
  for (const [holder, statuses] of state.holds) {
    const status = statuses.get(componentId);
    if (holder !== incidentId && status) held.push(status);
  }
  return worstComponentStatus(held);
}
