import { and, asc, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client.ts";
import type { ScheduledActionName } from "../../db/enums.ts";
import { scheduledActions } from "../../db/schema.ts";
import { HeraldError, notFound } from "../actions/errors.ts";
import { parseInput } from "../actions/validation.ts";
import type { Change, Statement } from "../changes/commit.ts";
import { failUnlessChanged } from "../changes/guard.ts";
import { COMPONENT_STATUSES, UPDATE_STATUSES } from "../model/statuses.ts";
import {
  dueScheduledAction,
  dueScheduledActions,
  findScheduledAction,
  readScheduledActions,
  type ScheduledActionRow,
  takeScheduledAction,
} from "../scheduler/scheduled-actions.ts";
import type { SchedulerSettings } from "../scheduler/settings.ts";
import type { IncidentState } from "./incident-state.ts";
import type { PlannedIncident } from "./plan-incident.ts";
import { planOpenIncident } from "./plan-open-incident.ts";
import { openIncidentInput } from "./schemas.ts";
import { updateBody } from "./update-rules.ts";

/** An incident to open later: the open-incident request as checked when it was scheduled, and when. */
/** A reschedule or a cancel refuses with it when the scheduler opened the incident (or someone cancelled it) first. */
export const OPENING_GONE = "The incident was opened or cancelled meanwhile; nothing was changed.";

export type ScheduledOpeningRow = {
  id: string;
  request: Record<string, unknown>;
  publishAt: string;
  createdAt: string;
  updatedAt: string;
  createdBy: string | null;
  failure: string | null;
};
export type OpenIncidentRequest = z.output<typeof openIncidentInput>;

/** An incident to be opened later, as the admin API shows it. */
export const scheduledOpeningSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  /** The status its first update will have. */
  status: z.enum(UPDATE_STATUSES),
  body_html: z.string(),
  components: z.record(z.string(), z.enum(COMPONENT_STATUSES)),
  publish_at: z.string(),
  /** Why the scheduler could not open it when it was due; null while it waits. */
  failure: z.string().nullable(),
  /** The open-incident request it stands for (template already resolved), as `POST /api/incidents` takes it. */
  request: z.record(z.string(), z.unknown()),
  created_at: z.string(),
  updated_at: z.string(),
  created_by: z.string().nullable(),
});

export type ScheduledOpeningView = z.output<typeof scheduledOpeningSchema>;

export function scheduledOpeningView(row: ScheduledOpeningRow): ScheduledOpeningView {
  const request = row.request as Partial<OpenIncidentRequest>;
  const status = request.status ?? "investigating";
  return {
    id: row.id,
    name: request.name ?? "",
    status,
    body_html: updateBody(request.body, status).bodyHtml,
    components: request.components ?? {},
    publish_at: row.publishAt,
    failure: row.failure,
    request: row.request,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
    created_by: row.createdBy,
  };
}

const OPEN: ScheduledActionName = "incident.open_scheduled";

/** An opening as its deferred run stores it: the request is the run's input, due at its run time. */
function openingFromRun(run: ScheduledActionRow): ScheduledOpeningRow {
  return {
    id: run.id,
    request: run.input,
    publishAt: run.runAt,
    createdAt: run.createdAt,
    updatedAt: run.updatedAt,
    createdBy: run.createdBy,
    failure: run.failure,
  };
}

/** Stores an opening as a deferred run of `incident.open_scheduled`. */
export function insertOpening(db: Db, row: ScheduledOpeningRow): Statement {
  return db.insert(scheduledActions).values({
    id: row.id,
    action: OPEN,
    input: row.request,
    incidentId: null,
    runAt: row.publishAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    createdBy: row.createdBy,
    failure: row.failure,
  });
}

/** Moves a waiting (or failed) opening to another time, failing the batch when it changed since `stored`. */
export function moveOpening(db: Db, stored: ScheduledOpeningRow, publishAt: string, updatedAt: string): Statement[] {
  return [
    db
      .update(scheduledActions)
      .set({ runAt: publishAt, failure: null, updatedAt })
      .where(
        and(
          eq(scheduledActions.id, stored.id),
          eq(scheduledActions.action, OPEN),
          eq(scheduledActions.updatedAt, stored.updatedAt),
        ),
      ),
    failUnlessChanged(db),
  ];
}

/** Incidents waiting to be opened, the soonest first. */
export async function readScheduledOpenings(db: Db): Promise<ScheduledOpeningView[]> {
  const runs = await readScheduledActions(db, OPEN, undefined, [asc(scheduledActions.runAt), asc(scheduledActions.id)]);
  return runs.map((run) => scheduledOpeningView(openingFromRun(run)));
}

export async function getScheduledOpening(db: Db, id: string): Promise<ScheduledOpeningRow> {
  const run = await findScheduledAction(db, OPEN, id);
  if (!run) throw notFound(`There is no scheduled incident with id "${id}" (opened, cancelled or unknown).`);
  return openingFromRun(run);
}

/** The openings due at `now` that have not failed, the soonest first. */
export async function dueOpenings(db: Db, now: Date): Promise<ScheduledOpeningRow[]> {
  return (await dueScheduledActions(db, OPEN, now)).map(openingFromRun);
}

/** The statements that remove a waiting opening, failing the batch when another writer removed it first. */
export function takeOpening(db: Db, id: string): Change["statements"] {
  return takeScheduledAction(db, OPEN, id);
}

/** One opening, while it is still waiting (not failed) and due at `now`; null once opened, cancelled or moved later. */
export async function dueOpening(db: Db, id: string, now: Date): Promise<ScheduledOpeningRow | null> {
  const run = await dueScheduledAction(db, OPEN, id, now);
  return run && openingFromRun(run);
}

/** What opening a due incident plans: the incident, or the failure recorded in its place. */
export type PlannedOpening =
  | { outcome: "opened"; planned: PlannedIncident }
  | { outcome: "failed"; change: Change; reason: string };

/**
 * Opens a due incident as if it had been posted at its publish time: its first update is shown then,
 * subscribers are notified now. A component deleted since it was scheduled is left out (as a timed
 * update leaves it out); anything else that no longer holds marks the opening failed instead, so the
 * team sees why on the dashboard and one bad opening never stops the scheduler.
 */
export function planPublishOpening(
  state: IncidentState,
  row: ScheduledOpeningRow,
  now: Date,
  settings: SchedulerSettings,
): PlannedOpening {
  try {
    const request = parseInput(openIncidentInput, row.request);
    const usable = new Set(state.components.filter((c) => !c.isGroup).map((c) => c.id));
    const components = Object.fromEntries(Object.entries(request.components ?? {}).filter(([id]) => usable.has(id)));
    const planned = planOpenIncident(
      state,
      { ...request, components, display_at: row.publishAt },
      now,
      row.createdBy ?? "scheduler",
      settings,
    );
    return {
      outcome: "opened",
      planned: {
        ...planned,
        statements: [...takeOpening(state.db, row.id), ...planned.statements],
        audit: {
          ...planned.audit,
          details: { ...planned.audit.details, scheduled_opening_id: row.id, publish_at: row.publishAt },
        },
      },
    };
  } catch (error) {
    if (!(error instanceof HeraldError)) throw error;
    const change: Change = {
      statements: [
        state.db
          .update(scheduledActions)
          .set({ failure: error.message, updatedAt: now.toISOString() })
          .where(
            and(eq(scheduledActions.id, row.id), eq(scheduledActions.action, OPEN), isNull(scheduledActions.failure)),
          ),
        failUnlessChanged(state.db),
      ],
      audit: {
        action: "incident.schedule_open_fail",
        targetType: "scheduled_opening",
        targetId: row.id,
        details: { error: error.message, publish_at: row.publishAt },
      },
      jobs: [],
    };
    return { outcome: "failed", change, reason: error.message };
  }
}
