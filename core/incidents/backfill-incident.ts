import { and, count, desc, eq, gt, lte } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { componentStatusChanges, incidents, incidentUpdates, updateComponents } from "../../db/schema.ts";
import { defineAction } from "../actions/define.ts";
import { type FieldError, invalid } from "../actions/errors.ts";
import { historyMonth, type Planned, type Statement } from "../changes/commit.ts";
import { withGroups } from "../changes/touched.ts";
import { pageOf } from "../components/component-state.ts";
import { newId } from "../model/ids.ts";
import type { IncidentRecord, UpdateRecord } from "../model/rows.ts";
import { type ComponentStatus, isClosingStatus } from "../model/statuses.ts";
import { pastStatusChangeStatements, type StatusChange } from "../uptime/record-status-change.ts";
import { type AdminIncident, adminIncident } from "./admin-incident.ts";
import { type IncidentState, loadIncidentState } from "./incident-state.ts";
import { affectedBy, byComponentName, newestFirst } from "./load-incidents.ts";
import { type PlannedIncidentChange, planIncidentChange } from "./plan-incident.ts";
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
      return [id, { before: last?.status ?? "operational", changedDuring: (during?.n ?? 0) > 0 }];
    }),
  );
  return new Map(entries);
}

/**
 * Plans the backfill by replaying it through the plans opening and posting use (`planIncidentChange`),
 * each update at its own time, from the components as they were when it began: the incident, its
 * updates and their component changes are what posting them then would have written. Kept from the
 * backfill's contract: its `started_at` and `resolved_at`, no notifications (only the records are
 * taken, not the changes' events), the components' current status untouched and their history written
 * in the past (the span from `started_at` to `resolved_at`), one audit row.
 */
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
  const nowIso = now.toISOString();
  const timeline = [...input.updates]
    .map((u) => ({ ...u, display_at: new Date(u.display_at).toISOString() }))
    .sort((a, b) => (a.display_at < b.display_at ? -1 : a.display_at > b.display_at ? 1 : 0));
  const last = timeline.at(-1);
  if (!last || !isClosingStatus(last.status))
    timeline.push({ status: "resolved", display_at: resolvedAt, body: undefined });

  const id = newId();
  const audit = { action: "incident.backfill", details: {} };
  const posted: UpdateRecord[] = [];
  let replayed: PlannedIncidentChange | null = null;
  for (const [i, u] of timeline.entries()) {
    const update = {
      status: u.status,
      body: u.body,
      displayAt: u.display_at,
      components: i === 0 ? input.components : undefined,
      deliverNotifications: false,
      nextUpdateInMinutes: null,
      by,
    };
    const create = {
      id,
      kind: "incident" as const,
      name: input.name,
      impactOverride: null,
      createdAt: nowIso,
      startedAt,
      scheduledFor: null,
      scheduledUntil: null,
      postmortemMd: null,
      postmortemHtml: null,
      postmortemPublishedAt: null,
    };
    replayed = replayed
      ? planIncidentChange(replayed.state, replayed.record, { update, audit }, new Date(u.display_at))
      : planIncidentChange(
          asItWas(state, input, past),
          null,
          { create, impactOverride: input.impact ?? null, update, audit },
          new Date(u.display_at),
        );
    const written = replayed.record.updates.find((r) => r.id === replayed?.notice.updateId);
    if (written) posted.push({ ...written, updatedAt: nowIso });
  }
  if (!replayed) throw new Error("a backfill has a first and a closing update");

  const changes = posted.flatMap((u) => u.componentChanges);
  const history: StatusChange[] = posted.flatMap((u, i) =>
    u.componentChanges
      .filter((c) => c.oldStatus !== c.newStatus)
      .map((c) => ({
        componentId: c.componentId,
        oldStatus: c.oldStatus,
        newStatus: c.newStatus,
        // The component's history spans the incident, whenever its first and closing updates were shown.
        at: i === 0 ? startedAt : resolvedAt,
        incidentId: id,
        updateId: u.id,
      })),
  );
  const { updates: _, componentIds: __, affectedComponents: ___, ...replayedRow } = replayed.record;
  const incident = { ...replayedRow, resolvedAt, updatedAt: nowIso };
  const statements: Statement[] = [
    state.db.insert(incidents).values(incident),
    ...posted.map(({ componentChanges: _, ...row }) => state.db.insert(incidentUpdates).values(row)),
    ...changes.map((change) => state.db.insert(updateComponents).values(change)),
    ...pastStatusChangeStatements(state.db, history),
  ];
  const record: IncidentRecord = {
    ...incident,
    updates: newestFirst(posted),
    ...affectedBy([...changes].sort(byComponentName)),
  };
  const next = { ...state, incidents: new Map(state.incidents).set(id, record) };
  return {
    statements,
    audit: { action: "incident.backfill", targetType: "incident", targetId: id, details: input },
    jobs: [],
    touched: {
      incidents: [id],
      components: withGroups(state.components, [...record.componentIds, ...history.map((h) => h.componentId)]),
      months: [historyMonth(startedAt)],
    },
    view: adminIncident(record, next.components, pageOf(next), now),
    record,
    state: next,
  };
}

/**
 * The state the replay starts from: each named component in the status it had when the incident began,
 * held there by its past (so the closing update returns it to that, as the backfill's span says), and no
 * incident of today holding anything.
 */
function asItWas(state: IncidentState, input: BackfillIncidentInput, past: Map<string, PastStatus>): IncidentState {
  const before = new Map(
    Object.keys(input.components ?? {}).map((id): [string, ComponentStatus] => [
      id,
      past.get(id)?.before ?? "operational",
    ]),
  );
  return {
    ...state,
    components: state.components.map((c) => {
      const status = before.get(c.id);
      return status ? { ...c, status } : c;
    }),
    holds: new Map([[PAST_HOLDER, before]]),
  };
}

const PAST_HOLDER = "(the past)";

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
  // As posting would refuse them: a resolved incident takes no more updates.
  const byTime = input.updates.map((u, i) => ({ ...u, i, at: new Date(u.display_at).toISOString() }));
  byTime.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.i - b.i));
  const closing = byTime.findIndex((u) => isClosingStatus(u.status));
  for (const u of closing === -1 ? [] : byTime.slice(closing + 1))
    errors.push({ path: `updates.${u.i}.status`, message: "comes after the incident was resolved" });
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
