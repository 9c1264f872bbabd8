import { and, eq, inArray, isNotNull, isNull, lte } from "drizzle-orm";
import { escalations, incidents } from "../../db/schema.ts";
import type { ActionContext } from "../actions/context.ts";
import { type Change, commitChanges, type Statement } from "../changes/commit.ts";
import { failUnlessChanged } from "../changes/guard.ts";
import { getPage } from "../page/get-page.ts";
import { teamRecipient } from "../scheduler/overdue-reminders.ts";
import { schedulerSettings } from "../scheduler/settings.ts";
import { addressRecipient } from "./address-recipient.ts";
import { personContacts } from "./contacts.ts";
import { isDaytime } from "./daytime.ts";
import { escalationId } from "./ids.ts";
import { type EscalationState, nextStep } from "./next-level.ts";
import { planLevelNotice } from "./notice.ts";
import type { EscalationLevel } from "./policy.ts";

export type EscalationTickResult = {
  /** `incidentId:level` of each notice given. */
  told: string[];
  /** Escalations stopped because their promise was replaced (an update was posted) or the incident closed. */
  stopped: string[];
};

type Lapsed = { id: string; nextUpdateDueAt: string; commanderId: string | null };

/**
 * One tick of the incidents' escalation under a policy (docs/team.md, Escalation): stops the escalations
 * whose promise no longer stands, then tells each lapsed promise's next level when it is due. Planned
 * from one read and committed in one batch; each step is guarded on the escalation's row as loaded, so a
 * second tick or process planning the same step commits nothing (and the tick plans again).
 */
export async function escalateIncidents(
  ctx: ActionContext,
  levels: readonly EscalationLevel[],
): Promise<EscalationTickResult> {
  const { db } = ctx;
  const now = ctx.clock.now();
  const at = now.toISOString();
  const [lapsedRows, running] = await Promise.all([
    db
      .select({ id: incidents.id, nextUpdateDueAt: incidents.nextUpdateDueAt, commanderId: incidents.commanderId })
      .from(incidents)
      .where(
        and(isNull(incidents.resolvedAt), isNotNull(incidents.nextUpdateDueAt), lte(incidents.nextUpdateDueAt, at)),
      ),
    db
      .select()
      .from(escalations)
      .where(and(eq(escalations.subjectType, "incident"), isNull(escalations.stoppedAt))),
  ]);
  const lapsed = lapsedRows.flatMap((row) =>
    row.nextUpdateDueAt ? [{ ...row, nextUpdateDueAt: row.nextUpdateDueAt }] : [],
  );
  const current = new Set(lapsed.map((i) => escalationId({ type: "incident", id: i.id }, i.nextUpdateDueAt)));
  const changes: Change[] = running
    .filter((row) => !current.has(row.id))
    .map((row) => ({
      statements: [
        db
          .update(escalations)
          .set({ stoppedAt: at, stoppedBy: "update" })
          .where(and(eq(escalations.id, row.id), isNull(escalations.stoppedAt))),
      ],
      jobs: [],
      audit: {
        action: "incident.escalation_stopped",
        targetType: "incident",
        targetId: row.subjectId,
        details: { due_at: row.dueAt, level: row.level, by: "update" },
      },
    }));
  const result: EscalationTickResult = {
    told: [],
    stopped: running.filter((r) => !current.has(r.id)).map((r) => r.subjectId),
  };
  const states = await escalationStates(ctx, lapsed);
  const [page, settings, contacts] = await Promise.all([
    getPage(db),
    schedulerSettings(ctx),
    personContacts(db, [
      ...new Set([
        ...lapsed.flatMap((i) => (i.commanderId ? [i.commanderId] : [])),
        ...levels.flatMap((l) => l.person_ids),
      ]),
    ]),
  ]);
  const daytime = isDaytime(now, page.timeZone);
  const team = settings.teamEmail ? await teamRecipient(db, settings.teamEmail, now) : null;
  let teamStatements = team?.statements ?? [];
  for (const incident of lapsed) {
    const state = states.get(incident.id) ?? null;
    const commander = incident.commanderId ? (contacts.get(incident.commanderId) ?? null) : null;
    const step = nextStep(state, levels, { commanderReachable: commander !== null, daytime, now });
    if (step.kind === "wait") continue;
    const guard = advance(ctx, incident, state, step.level, at);
    if (step.kind === "pass") {
      changes.push({ statements: guard, jobs: [], audit: passAudit(incident, step.level) });
      continue;
    }
    const people = step.level === 0 ? (commander ? [commander] : []) : peopleOf(levels[step.level - 1], contacts);
    const addressed = await Promise.all(
      people.map(async (p) => ({ ...p, ...(await addressRecipient(db, p.email, now)) })),
    );
    const change = planLevelNotice(db, {
      incident,
      level: step.level,
      levels,
      people: addressed,
      team: team?.subscriberId ?? null,
      now,
    });
    change.statements.unshift(...guard, ...teamStatements, ...addressed.flatMap((a) => a.statements));
    teamStatements = [];
    changes.push(change);
    result.told.push(`${incident.id}:${step.level}`);
  }
  await commitChanges(ctx, changes);
  return result;
}

function peopleOf(
  level: EscalationLevel | undefined,
  contacts: Map<string, { id: string; name: string; email: string }>,
) {
  return (level?.person_ids ?? []).flatMap((id) => {
    const contact = contacts.get(id);
    return contact ? [contact] : [];
  });
}

async function escalationStates(ctx: ActionContext, lapsed: Lapsed[]): Promise<Map<string, EscalationState>> {
  if (lapsed.length === 0) return new Map();
  const rows = await ctx.db
    .select()
    .from(escalations)
    .where(
      inArray(
        escalations.id,
        lapsed.map((i) => escalationId({ type: "incident", id: i.id }, i.nextUpdateDueAt)),
      ),
    );
  const byId = new Map(rows.map((row) => [row.id, row]));
  return new Map(
    lapsed.map((i) => {
      const row = byId.get(escalationId({ type: "incident", id: i.id }, i.nextUpdateDueAt));
      // A stopped escalation of a promise that still stands (acknowledged, then lapsed again at the same time) stays stopped.
      if (row?.stoppedAt) return [i.id, { level: Number.POSITIVE_INFINITY, lastNotifiedAt: row.lastNotifiedAt }];
      return [i.id, row ? { level: row.level, lastNotifiedAt: row.lastNotifiedAt } : null];
    }),
  );
}

/** The escalation's row moved to `level`, guarded on the row as loaded (a new row: inserted once). */
function advance(ctx: ActionContext, incident: Lapsed, state: EscalationState, level: number, at: string): Statement[] {
  const { db } = ctx;
  const id = escalationId({ type: "incident", id: incident.id }, incident.nextUpdateDueAt);
  const write = state
    ? db
        .update(escalations)
        .set({ level, lastNotifiedAt: at })
        .where(and(eq(escalations.id, id), eq(escalations.level, state.level), isNull(escalations.stoppedAt)))
    : db
        .insert(escalations)
        .values({
          id,
          subjectType: "incident",
          subjectId: incident.id,
          dueAt: incident.nextUpdateDueAt,
          level,
          lastNotifiedAt: at,
        })
        .onConflictDoNothing();
  return [write, failUnlessChanged(db)];
}

function passAudit(incident: Lapsed, level: number): Change["audit"] {
  return {
    action: "incident.escalation_passed",
    targetType: "incident",
    targetId: incident.id,
    details: { due_at: incident.nextUpdateDueAt, level, why: "daytime-only level at night" },
  };
}
