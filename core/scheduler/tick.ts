import { and, eq, inArray, lte, or } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { incidents } from "../../db/schema.ts";
import type { ActionContext } from "../actions/context.ts";
import { alertTick } from "../alerts/tick.ts";
import { type Change, commitChanges } from "../changes/commit.ts";
import { isStalePlan } from "../changes/guard.ts";
import { escalateDrafts } from "../escalation/escalate-drafts.ts";
import { escalateIncidents } from "../escalation/escalate-incidents.ts";
import { readEscalationLevels } from "../escalation/policy.ts";
import { type IncidentState, loadIncidentState } from "../incidents/incident-state.ts";
import { openScheduledIncident } from "../incidents/open-scheduled-incident.ts";
import { publishTimedUpdate } from "../incidents/publish-timed-update.ts";
import { dueUpdates } from "../incidents/scheduled-updates.ts";
import { dueOpenings } from "../incidents/stored-openings.ts";
import { type SunsetTickResult, sunsetTick } from "../inventory/sunset/sunset-tick.ts";
import { maintenancesToRemind, planMaintenanceReminder } from "../notifications/maintenance-reminders.ts";
import { queueWeeklyReview } from "../review/weekly/queue-weekly-review.ts";
import { runDue } from "./deferred-runs.ts";
import { loadMaintenanceBodies } from "./maintenance-bodies.ts";
import { completesAt, planCompleteMaintenance, planStartMaintenance, startsAt } from "./maintenance-transitions.ts";
import { isUpdateOverdue, lapsedPromises, planOverdueReminder, teamRecipient } from "./overdue-reminders.ts";
import { schedulerSettings } from "./settings.ts";

/** What one tick did (ids), for logs and tests. */
export type TickResult = {
  /** Incidents opened from scheduled openings. */
  opened: string[];
  /** Scheduled openings that could not be opened (marked failed). */
  failedOpenings: string[];
  published: string[];
  /** Timed updates dropped because their incident was closed meanwhile. */
  discarded: string[];
  reminded: string[];
  started: string[];
  completed: string[];
  overdue: string[];
  /** Under an escalation policy: `incidentId:level`, then `draftId:level`, of each level told (core/escalation/). */
  escalated: string[];
};

/** How often a tick re-plans after another writer changed what it planned from. */
const ATTEMPTS = 3;

/**
 * The scheduler (flow 4): first runs what people asked to happen at a time (the incidents scheduled to
 * open, the timed updates due: each through its action, see `runDeferred`); then reminds subscribers of
 * maintenances about to start, starts and completes maintenances on their window, and reminds the team
 * of lapsed promises, all planned from one read and committed in one batch; then queues the weekly review
 * when its day and hour have come (core/review/weekly/). Uses only the database
 * and `ctx.clock`.
 * Idempotent: what it did is in the database, so a second tick at the same time plans nothing, and a
 * tick after a long pause catches up in order (a maintenance whose whole window passed starts and
 * completes). Two processes ticking at once commit each change once: every plan carries a guard that
 * fails the batch when its incident or update moved meanwhile, and the tick then plans again.
 */
export async function tick(ctx: ActionContext): Promise<TickResult & SunsetTickResult> {
  const levels = await readEscalationLevels(ctx.db);
  const escalating = levels.length > 0;
  await alertTick(ctx, escalating);
  const deferred = await runDeferred(ctx);
  const once = await retryStale(() => tickOnce(ctx, escalating));
  const escalated = escalating
    ? [
        ...(await retryStale(() => escalateIncidents(ctx, levels))).told,
        ...(await retryStale(() => escalateDrafts(ctx, levels))).told,
      ]
    : [];
  await queueWeeklyReview(ctx);
  return { ...deferred, ...once, escalated, ...(await sunsetTick(ctx)) };
}

/** Plans and commits again, from fresh state, when another writer moved what a plan was made from. */
async function retryStale<T>(attempt: () => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isStalePlan(error) || n >= ATTEMPTS) throw error;
    }
  }
}

type DeferredRuns = Pick<TickResult, "opened" | "failedOpenings" | "published" | "discarded">;

/**
 * What people asked to happen at a time ("run this action at time T"): the due scheduled openings, then
 * the due timed updates in the order they are due, each run through its action as its own batch.
 */
async function runDeferred(ctx: ActionContext): Promise<DeferredRuns> {
  const now = ctx.clock.now();
  const [openings, updates] = await Promise.all([dueOpenings(ctx.db, now), dueUpdates(ctx.db, now)]);
  const ran: DeferredRuns = { opened: [], failedOpenings: [], published: [], discarded: [] };
  for (const { id } of openings) {
    const result = await runDue(ctx, openScheduledIncident, { openingId: id });
    if (result.outcome === "done") ran.opened.push(result.id);
    else if (result.outcome === "refused") ran.failedOpenings.push(id);
  }
  for (const { id } of updates) {
    const result = await runDue(ctx, publishTimedUpdate, { updateId: id });
    if (result.outcome === "done") ran.published.push(id);
    else if (result.outcome === "refused") ran.discarded.push(id);
  }
  return ran;
}

/** With an escalation policy, lapsed promises are the escalation's (`escalateIncidents`), not the team reminder's. */
async function tickOnce(
  ctx: ActionContext,
  escalating: boolean,
): Promise<Omit<TickResult, keyof DeferredRuns | "escalated">> {
  const now = ctx.clock.now();
  const { db } = ctx;
  const [toRemind, transitions, lapsed, settings] = await Promise.all([
    maintenancesToRemind(db, now),
    maintenanceTransitions(db, now),
    escalating ? [] : lapsedPromises(db, now),
    schedulerSettings(ctx),
  ]);
  const result: Omit<TickResult, keyof DeferredRuns | "escalated"> = {
    reminded: [],
    started: [],
    completed: [],
    overdue: [],
  };
  const ids = [...new Set([...toRemind, ...transitions, ...lapsed])];
  if (ids.length === 0) return result;
  let state: IncidentState = await loadIncidentState(db, ids);
  const changes: Change[] = [];
  const add = (planned: Change & { state: IncidentState }) => {
    changes.push(planned);
    state = planned.state;
  };

  for (const id of toRemind) {
    const record = state.incidents.get(id);
    const change = record ? planMaintenanceReminder(state, record, now) : null;
    if (!change) continue;
    changes.push(change);
    result.reminded.push(id);
  }
  // The templates are read once, before planning; planning stays pure.
  const bodies = await loadMaintenanceBodies(db, transitions.length > 0 ? ["started", "completed"] : [], now);
  for (const id of transitions) {
    const before = state.incidents.get(id);
    if (before && startsAt(before, now)) {
      add(planStartMaintenance(state, before, bodies, now));
      result.started.push(id);
    }
    const current = state.incidents.get(id);
    if (current && completesAt(current, now)) {
      add(planCompleteMaintenance(state, current, bodies, now));
      result.completed.push(id);
    }
  }
  const stillLapsed = lapsed.flatMap((id) => {
    const record = state.incidents.get(id);
    return record && isUpdateOverdue(record, now) ? [record] : [];
  });
  if (stillLapsed.length > 0) {
    const team = await teamRecipient(db, settings.teamEmail, now);
    const first = changes.length;
    for (const record of stillLapsed) {
      changes.push(planOverdueReminder(state, record, team, now));
      result.overdue.push(record.id);
    }
    const firstOverdue = changes[first];
    if (team && firstOverdue) firstOverdue.statements.unshift(...team.statements);
  }
  await commitChanges(ctx, changes);
  return result;
}

/** Maintenances that start or complete by themselves at `now`. */
async function maintenanceTransitions(db: Db, now: Date): Promise<string[]> {
  const at = now.toISOString();
  const rows = await db
    .select({ id: incidents.id })
    .from(incidents)
    .where(
      and(
        eq(incidents.kind, "maintenance"),
        or(
          and(eq(incidents.status, "scheduled"), eq(incidents.autoStart, true), lte(incidents.scheduledFor, at)),
          and(
            inArray(incidents.status, ["scheduled", "in_progress", "verifying"]),
            eq(incidents.autoComplete, true),
            lte(incidents.scheduledUntil, at),
          ),
        ),
      ),
    );
  return rows.map((r) => r.id);
}
