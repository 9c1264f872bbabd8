import { and, eq, inArray, isNull } from "drizzle-orm";
import { escalations } from "../../db/schema.ts";
import type { ActionContext } from "../actions/context.ts";
import { type Change, commitChanges, type Statement } from "../changes/commit.ts";
import { failUnlessChanged } from "../changes/guard.ts";
import { getPage } from "../page/get-page.ts";
import { teamRecipient } from "../scheduler/overdue-reminders.ts";
import { schedulerSettings } from "../scheduler/settings.ts";
import { addressRecipient } from "./address-recipient.ts";
import { type PersonContact, personContacts } from "./contacts.ts";
import { isDaytime } from "./daytime.ts";
import { type EscalationSubject, escalationId } from "./ids.ts";
import { type EscalationState, nextStep } from "./next-level.ts";
import { auditActionOf, auditTargetOf, type LapsedPromise, planLevelNotice } from "./notice.ts";
import type { EscalationLevel } from "./policy.ts";

export type EscalationTickResult = {
  /** `subjectId:level` of each notice given. */
  told: string[];
  /** Subjects whose escalation stopped because their promise no longer stands. */
  stopped: string[];
};

/**
 * One tick of the escalation of one kind of subject under a policy (docs/team.md, Escalation), the one
 * engine for lapsed incident promises and waiting alert drafts: stops the running escalations whose promise
 * no longer stands (`lapsed` is every promise of that kind that still does), then tells each lapsed promise's
 * next level when it is due. Planned from one read and committed in one batch; each step is guarded on the
 * escalation's row as loaded, so a second tick or process planning the same step commits nothing (and the
 * tick plans again).
 */
export async function escalateLapsed(
  ctx: ActionContext,
  levels: readonly EscalationLevel[],
  type: EscalationSubject["type"],
  lapsed: readonly LapsedPromise[],
  stoppedBy: string,
): Promise<EscalationTickResult> {
  const { db } = ctx;
  const now = ctx.clock.now();
  const at = now.toISOString();
  const running = await db
    .select()
    .from(escalations)
    .where(and(eq(escalations.subjectType, type), isNull(escalations.stoppedAt)));
  const current = new Set(lapsed.map((l) => escalationId(l.subject, l.dueAt)));
  const ended = running.filter((row) => !current.has(row.id));
  const changes: Change[] = ended.map((row) => {
    const subject = { type, id: row.subjectId };
    return {
      statements: [
        db
          .update(escalations)
          .set({ stoppedAt: at, stoppedBy })
          .where(and(eq(escalations.id, row.id), isNull(escalations.stoppedAt))),
      ],
      jobs: [],
      audit: {
        action: auditActionOf(subject, "stopped"),
        targetType: auditTargetOf(subject),
        targetId: row.subjectId,
        details: { due_at: row.dueAt, level: row.level, by: stoppedBy },
      },
    };
  });
  const result: EscalationTickResult = { told: [], stopped: ended.map((r) => r.subjectId) };
  const [states, page, settings, contacts] = await Promise.all([
    escalationStates(ctx, lapsed),
    getPage(db),
    schedulerSettings(ctx),
    personContacts(db, [
      ...new Set([
        ...lapsed.flatMap((l) => (l.commanderId ? [l.commanderId] : [])),
        ...levels.flatMap((l) => l.person_ids),
      ]),
    ]),
  ]);
  const daytime = isDaytime(now, page.timeZone);
  const team = settings.teamEmail ? await teamRecipient(db, settings.teamEmail, now) : null;
  let teamStatements = team?.statements ?? [];
  // One mail row per address in the whole batch: two promises escalating to one person at once share it.
  const addressed = new Map<string, string>();
  for (const promise of lapsed) {
    const id = escalationId(promise.subject, promise.dueAt);
    const state = states.get(id) ?? null;
    const commander = promise.commanderId ? (contacts.get(promise.commanderId) ?? null) : null;
    const step = nextStep(state, levels, { commanderReachable: commander !== null, daytime, now });
    if (step.kind === "wait") continue;
    const guard = advance(ctx, promise, state, step.level, at);
    if (step.kind === "pass") {
      changes.push({ statements: guard, jobs: [], audit: passAudit(promise, step.level) });
      continue;
    }
    const people = step.level === 0 ? (commander ? [commander] : []) : peopleOf(levels[step.level - 1], contacts);
    const rows: Statement[] = [];
    const reached: (PersonContact & { subscriberId: string })[] = [];
    for (const person of people) {
      let subscriberId = addressed.get(person.email);
      if (!subscriberId) {
        const recipient = await addressRecipient(db, person.email, now);
        subscriberId = recipient.subscriberId;
        addressed.set(person.email, subscriberId);
        rows.push(...recipient.statements);
      }
      reached.push({ ...person, subscriberId });
    }
    const change = planLevelNotice(db, {
      lapsed: promise,
      level: step.level,
      levels,
      people: reached,
      team: team?.subscriberId ?? null,
      now,
    });
    change.statements.unshift(...guard, ...teamStatements, ...rows);
    teamStatements = [];
    changes.push(change);
    result.told.push(`${promise.subject.id}:${step.level}`);
  }
  await commitChanges(ctx, changes);
  return result;
}

function peopleOf(level: EscalationLevel | undefined, contacts: Map<string, PersonContact>): PersonContact[] {
  return (level?.person_ids ?? []).flatMap((id) => {
    const contact = contacts.get(id);
    return contact ? [contact] : [];
  });
}

/** Where each lapsed promise's escalation stands, by the escalation's id. */
async function escalationStates(
  ctx: ActionContext,
  lapsed: readonly LapsedPromise[],
): Promise<Map<string, EscalationState>> {
  if (lapsed.length === 0) return new Map();
  const ids = lapsed.map((l) => escalationId(l.subject, l.dueAt));
  const rows = await ctx.db.select().from(escalations).where(inArray(escalations.id, ids));
  return new Map(
    rows.map((row) => [
      row.id,
      // A stopped escalation of a promise that still stands (acknowledged, then lapsed again at the same time) stays stopped.
      row.stoppedAt
        ? { level: Number.POSITIVE_INFINITY, lastNotifiedAt: row.lastNotifiedAt }
        : { level: row.level, lastNotifiedAt: row.lastNotifiedAt },
    ]),
  );
}

/** The escalation's row moved to `level`, guarded on the row as loaded (a new row: inserted once). */
function advance(
  ctx: ActionContext,
  promise: LapsedPromise,
  state: EscalationState,
  level: number,
  at: string,
): Statement[] {
  const { db } = ctx;
  const id = escalationId(promise.subject, promise.dueAt);
  const write = state
    ? db
        .update(escalations)
        .set({ level, lastNotifiedAt: at })
        .where(and(eq(escalations.id, id), eq(escalations.level, state.level), isNull(escalations.stoppedAt)))
    : db
        .insert(escalations)
        .values({
          id,
          subjectType: promise.subject.type,
          subjectId: promise.subject.id,
          dueAt: promise.dueAt,
          level,
          lastNotifiedAt: at,
        })
        .onConflictDoNothing();
  return [write, failUnlessChanged(db)];
}

function passAudit(promise: LapsedPromise, level: number): Change["audit"] {
  return {
    action: auditActionOf(promise.subject, "passed"),
    targetType: auditTargetOf(promise.subject),
    targetId: promise.subject.id,
    details: { due_at: promise.dueAt, level, why: "daytime-only level at night" },
  };
}
