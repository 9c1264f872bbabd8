import { eq } from "drizzle-orm";
import { incidents, updateComponents } from "../../db/schema.ts";
import { commitChange, historyMonth, type Statement } from "../commit.ts";
import type { ActionContext } from "../context.ts";
import { renderJob } from "../outbox.ts";
import { type ComponentStatus, computeImpact, type Impact, isClosingStatus, type UpdateStatus } from "../statuses.ts";
import type { IncidentRecord, IncidentRow } from "../types.ts";
import { getIncident } from "./load-incidents.ts";
import { planUpdate, type UpdateRequest } from "./plan-update.ts";

export type IncidentChange = {
  /** Set for a new incident: the row to insert (its status fields are filled in from the update). */
  create?:
    | Omit<
        IncidentRow,
        "status" | "impact" | "monitoringAt" | "resolvedAt" | "updatedAt" | "sequence" | "nextUpdateDueAt"
      >
    | undefined;
  name?: string | undefined;
  impactOverride?: Impact | null | undefined;
  scheduledFor?: string | undefined;
  scheduledUntil?: string | undefined;
  update?: UpdateRequest | undefined;
  audit: { action: string; details: Record<string, unknown> };
};

/**
 * Applies an incident change in one batch: metadata, an optional update with its component changes,
 * the recomputed status, impact and lifecycle times, the audit row and the render job.
 */
export async function changeIncident(
  ctx: ActionContext,
  current: IncidentRow | null,
  change: IncidentChange,
): Promise<IncidentRecord> {
  const base = current ?? change.create;
  if (!base) throw new Error("changeIncident needs an incident or one to create");
  const { id, kind } = base;
  const now = ctx.clock.now().toISOString();
  const planned = change.update ? await planUpdate(ctx, { id, kind }, change.update) : null;

  const status = (change.update?.status ?? current?.status) as UpdateStatus;
  const impactOverride =
    change.impactOverride !== undefined ? change.impactOverride : ((current?.impactOverride as Impact | null) ?? null);
  const statusesSet = [...(current ? await statusesSetBefore(ctx, id) : []), ...(planned?.statusesSet ?? [])];
  const eventAt = planned?.displayAt ?? now;
  const fields = {
    name: change.name ?? base.name,
    status,
    impact: computeImpact(kind, statusesSet, impactOverride),
    impactOverride,
    startedAt: kind === "maintenance" && change.scheduledFor ? change.scheduledFor : base.startedAt,
    scheduledFor: change.scheduledFor ?? base.scheduledFor,
    scheduledUntil: change.scheduledUntil ?? base.scheduledUntil,
    sequence: (current?.sequence ?? 0) + (current && reschedules(current, change) ? 1 : 0),
    monitoringAt: current?.monitoringAt ?? (status === "monitoring" ? eventAt : null),
    resolvedAt: isClosingStatus(status) ? (current?.resolvedAt ?? eventAt) : null,
    nextUpdateDueAt: nextUpdateDue(current, change.update, eventAt),
    updatedAt: now,
  };
  const statements: Statement[] = change.create
    ? [ctx.db.insert(incidents).values({ ...change.create, ...fields })]
    : [ctx.db.update(incidents).set(fields).where(eq(incidents.id, id))];
  statements.push(...(planned?.statements ?? []));

  await commitChange(ctx, {
    statements,
    audit: { action: change.audit.action, targetType: "incident", targetId: id, details: change.audit.details },
    jobs: [
      renderJob({
        incidents: [id],
        components: planned?.changedComponentIds ?? [],
        months: [...new Set([historyMonth(base.startedAt), historyMonth(fields.startedAt)])],
      }),
    ],
  });
  return getIncident(ctx.db, id);
}

/** A promised next update lasts until the next update; closing an incident ends it. */
function nextUpdateDue(current: IncidentRow | null, update: UpdateRequest | undefined, eventAt: string): string | null {
  if (!update) return current?.nextUpdateDueAt ?? null;
  if (isClosingStatus(update.status) || !update.nextUpdateInMinutes) return null;
  return new Date(new Date(eventAt).getTime() + update.nextUpdateInMinutes * 60_000).toISOString();
}

function reschedules(current: IncidentRow, change: IncidentChange): boolean {
  return (
    (change.scheduledFor !== undefined && change.scheduledFor !== current.scheduledFor) ||
    (change.scheduledUntil !== undefined && change.scheduledUntil !== current.scheduledUntil)
  );
}

async function statusesSetBefore(ctx: ActionContext, incidentId: string): Promise<ComponentStatus[]> {
  const rows = await ctx.db
    .select({ status: updateComponents.newStatus })
    .from(updateComponents)
    .where(eq(updateComponents.incidentId, incidentId));
  return rows.map((r) => r.status as ComponentStatus);
}
