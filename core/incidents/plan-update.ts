import { and, eq, inArray, isNull, ne } from "drizzle-orm";
import { components, incidents, incidentUpdates, updateComponents } from "../../db/schema.ts";
import updateBodies from "../../templates/update-bodies.json" with { type: "json" };
import type { Statement } from "../commit.ts";
import { listComponents } from "../components/load-components.ts";
import type { ActionContext } from "../context.ts";
import { invalid } from "../errors.ts";
import { newId } from "../ids.ts";
import { renderMarkdown } from "../markdown.ts";
import {
  type ComponentStatus,
  type IncidentKind,
  isClosingStatus,
  statusesForKind,
  type UpdateStatus,
} from "../statuses.ts";
import { statusChangeStatements } from "../uptime/record-status-change.ts";

export type UpdateRequest = {
  status: UpdateStatus;
  body?: string | undefined;
  components?: Record<string, ComponentStatus> | undefined;
  deliverNotifications?: boolean | undefined;
  displayAt?: string | undefined;
  nextUpdateInMinutes?: number | undefined;
};

/** The update part of an API request body; `status` defaults to the incident's current one. */
export function updateRequestFrom(
  input: {
    status?: UpdateStatus | undefined;
    body?: string | undefined;
    components?: Record<string, ComponentStatus> | undefined;
    deliver_notifications?: boolean | undefined;
    display_at?: string | undefined;
    next_update_in_minutes?: number | undefined;
  },
  currentStatus: UpdateStatus,
): UpdateRequest {
  return {
    status: input.status ?? currentStatus,
    body: input.body,
    components: input.components,
    deliverNotifications: input.deliver_notifications,
    displayAt: input.display_at,
    nextUpdateInMinutes: input.next_update_in_minutes,
  };
}

export type PlannedUpdate = {
  updateId: string;
  displayAt: string;
  statements: Statement[];
  /** Statuses this update sets, for the incident's computed impact. */
  statusesSet: ComponentStatus[];
  changedComponentIds: string[];
};

const FUTURE_SLACK_MS = 60_000;

/**
 * Plans one update of an incident: the update row, the component changes it makes, and on a closing
 * status the return of its other affected components to operational (unless another open incident
 * still holds them down).
 */
export async function planUpdate(
  ctx: ActionContext,
  incident: { id: string; kind: IncidentKind },
  request: UpdateRequest,
): Promise<PlannedUpdate> {
  const now = ctx.clock.now();
  assertStatusFitsKind(incident.kind, request.status);
  const displayAt = resolveDisplayAt(request.displayAt, now);
  const allComponents = new Map((await listComponents(ctx.db)).map((c) => [c.id, c]));
  const requested = request.components ?? {};
  const fieldErrors = Object.keys(requested).flatMap((id) => {
    const component = allComponents.get(id);
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

  const changes = new Map<string, ComponentStatus>(Object.entries(requested));
  if (isClosingStatus(request.status)) {
    for (const id of await componentsToRestore(ctx, incident.id, changes)) {
      if (allComponents.get(id)?.status !== "operational") changes.set(id, "operational");
    }
  }

  const updateId = newId();
  const nowIso = now.toISOString();
  const body = request.body?.trim() || updateBodies[request.status];
  const statements: Statement[] = [
    ctx.db.insert(incidentUpdates).values({
      id: updateId,
      incidentId: incident.id,
      status: request.status,
      bodyMd: body,
      bodyHtml: renderMarkdown(body),
      displayAt,
      createdAt: nowIso,
      updatedAt: nowIso,
      deliverNotifications: request.deliverNotifications ?? true,
      createdBy: ctx.actor.name,
    }),
  ];
  const changedComponentIds: string[] = [];
  for (const [componentId, newStatus] of changes) {
    const component = allComponents.get(componentId);
    if (!component) continue;
    const oldStatus = component.status as ComponentStatus;
    statements.push(
      ctx.db.insert(updateComponents).values({
        updateId,
        incidentId: incident.id,
        componentId,
        componentName: component.name,
        oldStatus,
        newStatus,
      }),
    );
    if (oldStatus === newStatus) continue;
    changedComponentIds.push(componentId);
    statements.push(
      ctx.db.update(components).set({ status: newStatus, updatedAt: nowIso }).where(eq(components.id, componentId)),
      ...statusChangeStatements(ctx.db, {
        componentId,
        oldStatus,
        newStatus,
        at: nowIso,
        incidentId: incident.id,
        updateId,
      }),
    );
  }
  return { updateId, displayAt, statements, statusesSet: [...changes.values()], changedComponentIds };
}

function assertStatusFitsKind(kind: IncidentKind, status: UpdateStatus): void {
  const allowed = statusesForKind(kind);
  if (!allowed.includes(status)) {
    throw invalid(`"${status}" is not a status of ${kind === "incident" ? "an incident" : "a maintenance"}.`, [
      { path: "status", message: `use one of ${allowed.join(", ")}` },
    ]);
  }
}

/** The shown time of an update: now, or a given time that is not in the future. */
export function resolveDisplayAt(displayAt: string | undefined, now: Date): string {
  if (displayAt === undefined) return now.toISOString();
  const at = new Date(displayAt);
  if (at.getTime() > now.getTime() + FUTURE_SLACK_MS) {
    throw invalid("display_at cannot be in the future.", [
      { path: "display_at", message: "must not be in the future" },
    ]);
  }
  return at.toISOString();
}

/** Components this incident affected that no other open incident still holds below operational. */
async function componentsToRestore(
  ctx: ActionContext,
  incidentId: string,
  explicit: Map<string, ComponentStatus>,
): Promise<string[]> {
  const affected = await ctx.db
    .selectDistinct({ componentId: updateComponents.componentId })
    .from(updateComponents)
    .where(eq(updateComponents.incidentId, incidentId));
  const candidates = affected.map((r) => r.componentId).filter((id) => !explicit.has(id));
  if (candidates.length === 0) return [];
  const heldElsewhere = await ctx.db
    .select({
      incidentId: updateComponents.incidentId,
      componentId: updateComponents.componentId,
      newStatus: updateComponents.newStatus,
    })
    .from(updateComponents)
    .innerJoin(incidents, eq(incidents.id, updateComponents.incidentId))
    .innerJoin(incidentUpdates, eq(incidentUpdates.id, updateComponents.updateId))
    .where(
      and(
        isNull(incidents.resolvedAt),
        ne(incidents.id, incidentId),
        inArray(updateComponents.componentId, candidates),
      ),
    )
    .orderBy(incidentUpdates.createdAt);
  const latest = new Map<string, string>();
  for (const row of heldElsewhere) latest.set(`${row.incidentId}/${row.componentId}`, row.newStatus);
  const held = new Set(
    [...latest.entries()].filter(([, status]) => status !== "operational").map(([key]) => key.split("/")[1]),
  );
  return candidates.filter((id) => !held.has(id));
}
