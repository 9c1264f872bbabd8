import { and, count, desc, eq, gt, lte } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { componentStatusChanges, incidents, incidentUpdates, updateComponents } from "../../db/schema.ts";
import updateBodies from "../../templates/update-bodies.json" with { type: "json" };
import { defineAction } from "../actions/define.ts";
import { historyMonth, type Planned, type Statement } from "../commit.ts";
import { pageOf } from "../components/component-state.ts";
import { type FieldError, invalid } from "../errors.ts";
import { newId } from "../ids.ts";
import { renderMarkdown } from "../markdown.ts";
import { renderJob } from "../outbox.ts";
import { type AdminIncident, adminIncident } from "../public/admin.ts";
import { type ComponentStatus, computeImpact, type Impact, isClosingStatus } from "../statuses.ts";
import type { IncidentRecord, UpdateComponentRow, UpdateRecord } from "../types.ts";
import { pastStatusChangeStatements, type StatusChange } from "../uptime/record-status-change.ts";
import { type IncidentState, loadIncidentState } from "./incident-state.ts";
import { affectedBy, byComponentName, newestFirst } from "./load-incidents.ts";
import { type BackfillIncidentInput, backfillIncidentInput } from "./schemas.ts";

/** Per component of a backfill: its status when the incident began, and whether its history moved during it. */
export type PastStatus = { before: ComponentStatus; changedDuring: boolean };

/**
 * Records an incident of the past with its own times and dated updates, in one batch, telling no one:
 * a team bringing its history in. The components' status history gets the incident's span (their
 * current status is untouched) and their uptime rollups are rebuilt from it.
 */
export const backfillIncident = defineAction({
  name: "incident.backfill",
  role: "commander",
  doing: "backfill incidents",
  input: backfillIncidentInput,
  async load(ctx, input) {
    const [state, past] = await Promise.all([loadIncidentState(ctx.db), pastStatuses(ctx.db, input)]);
    return { state, past };
  },
  plan({ state, past }, input, { now, actor }) {
    const planned = planBackfillIncident(state, input, past, now, actor.name);
    return { changes: [planned], result: planned.view };
  },
});

/** What each named component's history says about the incident's span. */
export async function pastStatuses(db: Db, input: BackfillIncidentInput): Promise<Map<string, PastStatus>> {
  const from = new Date(input.started_at).toISOString();
  const to = new Date(input.resolved_at).toISOString();
  const entries = await Promise.all(
    Object.keys(input.components ?? {}).map(async (id): Promise<[string, PastStatus]> => {
      const h = componentStatusChanges;
      const [[last], [during]] = await Promise.all([
        db
          .select({ status: h.newStatus })
          .from(h)
          .where(and(eq(h.componentId, id), lte(h.at, from)))
          .orderBy(desc(h.at))
          .limit(1),
        db
          .select({ n: count() })
          .from(h)
          .where(and(eq(h.componentId, id), gt(h.at, from), lte(h.at, to))),
      ]);
      return [id, { before: (last?.status ?? "operational") as ComponentStatus, changedDuring: (during?.n ?? 0) > 0 }];
    }),
  );
  return new Map(entries);
}

export function planBackfillIncident(
  state: IncidentState,
  input: BackfillIncidentInput,
  past: Map<string, PastStatus>,
  now: Date,
  by: string,
): Planned<AdminIncident, IncidentState> & { record: IncidentRecord } {
  const startedAt = new Date(input.started_at).toISOString();
  const resolvedAt = new Date(input.resolved_at).toISOString();
  assertValid(state, input, past, startedAt, resolvedAt, now);
  const id = newId();
  const nowIso = now.toISOString();
  const timeline = [...input.updates]
    .map((u) => ({ ...u, display_at: new Date(u.display_at).toISOString() }))
    .sort((a, b) => (a.display_at < b.display_at ? -1 : a.display_at > b.display_at ? 1 : 0));
  const last = timeline.at(-1);
  if (!last || !isClosingStatus(last.status))
    timeline.push({ status: "resolved", display_at: resolvedAt, body: undefined });

  const rows = timeline.map((u) => {
    const body = u.body?.trim() || updateBodies[u.status];
    return {
      id: newId(),
      incidentId: id,
      status: u.status,
      bodyMd: body,
      bodyHtml: renderMarkdown(body),
      displayAt: u.display_at,
      createdAt: u.display_at,
      updatedAt: nowIso,
      deliverNotifications: false,
      createdBy: by,
      publishAt: u.display_at,
      publishedAt: u.display_at,
      nextUpdateInMinutes: null,
      scheduledComponents: null,
    };
  });
  const first = rows[0];
  const closing = rows.find((r) => isClosingStatus(r.status));
  if (!first || !closing) throw new Error("a backfill has a first and a closing update");

  const byId = new Map(state.components.map((c) => [c.id, c]));
  const changes: UpdateComponentRow[] = [];
  const history: StatusChange[] = [];
  for (const [componentId, during] of Object.entries(input.components ?? {})) {
    const before = past.get(componentId)?.before ?? "operational";
    const name = byId.get(componentId)?.name ?? componentId;
    const base = { incidentId: id, componentId, componentName: name };
    changes.push({ ...base, updateId: first.id, oldStatus: before, newStatus: during });
    changes.push({ ...base, updateId: closing.id, oldStatus: during, newStatus: before });
    if (before !== during) {
      history.push({
        componentId,
        oldStatus: before,
        newStatus: during,
        at: startedAt,
        incidentId: id,
        updateId: first.id,
      });
      history.push({
        componentId,
        oldStatus: during,
        newStatus: before,
        at: resolvedAt,
        incidentId: id,
        updateId: closing.id,
      });
    }
  }
  const impactOverride = (input.impact ?? null) as Impact | null;
  const monitoring = rows.find((r) => r.status === "monitoring");
  const incident = {
    id,
    kind: "incident" as const,
    name: input.name,
    status: closing.status,
    impact: computeImpact("incident", Object.values(input.components ?? {}), impactOverride),
    impactOverride,
    createdAt: nowIso,
    updatedAt: nowIso,
    startedAt,
    monitoringAt: monitoring?.displayAt ?? null,
    resolvedAt,
    scheduledFor: null,
    scheduledUntil: null,
    nextUpdateDueAt: null,
    postmortemMd: null,
    postmortemHtml: null,
    postmortemPublishedAt: null,
    sequence: 0,
    remindMinutes: null,
    autoStart: true,
    autoComplete: true,
    cancelledAt: null,
  };
  const statements: Statement[] = [
    state.db.insert(incidents).values(incident),
    ...rows.map((row) => state.db.insert(incidentUpdates).values(row)),
    ...changes.map((change) => state.db.insert(updateComponents).values(change)),
    ...pastStatusChangeStatements(state.db, history),
  ];
  const updates: UpdateRecord[] = newestFirst(
    rows.map((row) => ({
      ...row,
      componentChanges: changes.filter((c) => c.updateId === row.id).sort(byComponentName),
    })),
  );
  const record: IncidentRecord = { ...incident, updates, ...affectedBy([...changes].sort(byComponentName)) };
  const next = { ...state, incidents: new Map(state.incidents).set(id, record) };
  return {
    statements,
    audit: { action: "incident.backfill", targetType: "incident", targetId: id, details: input },
    jobs: [
      renderJob({
        incidents: [id],
        components: [...new Set(history.map((h) => h.componentId))],
        months: [historyMonth(startedAt)],
      }),
    ],
    view: adminIncident(record, next.components, pageOf(next), now),
    record,
    state: next,
  };
}

function assertValid(
  state: IncidentState,
  input: BackfillIncidentInput,
  past: Map<string, PastStatus>,
  startedAt: string,
  resolvedAt: string,
  now: Date,
): void {
  const errors: FieldError[] = [];
  const nowIso = now.toISOString();
  if (resolvedAt <= startedAt) errors.push({ path: "resolved_at", message: "must be after started_at" });
  if (resolvedAt > nowIso) errors.push({ path: "resolved_at", message: "must be in the past" });
  if (startedAt > nowIso) errors.push({ path: "started_at", message: "must be in the past" });
  input.updates.forEach((u, i) => {
    const at = new Date(u.display_at).toISOString();
    if (at < startedAt || at > resolvedAt)
      errors.push({ path: `updates.${i}.display_at`, message: "must be between started_at and resolved_at" });
  });
  const byId = new Map(state.components.map((c) => [c.id, c]));
  for (const id of Object.keys(input.components ?? {})) {
    const component = byId.get(id);
    if (!component) errors.push({ path: `components.${id}`, message: "no such component" });
    else if (component.isGroup)
      errors.push({ path: `components.${id}`, message: "a group takes its status from its components" });
    else if (past.get(id)?.changedDuring)
      errors.push({ path: `components.${id}`, message: "its recorded status changed during this time" });
  }
  const [firstError] = errors;
  if (firstError)
    throw invalid(`The backfilled incident is not valid: ${firstError.path} ${firstError.message}.`, errors);
}
