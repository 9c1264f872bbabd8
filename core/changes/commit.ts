import type { BatchItem } from "drizzle-orm/batch";
import { auditLog, page } from "../../db/schema.ts";
import { isoNow } from "../actions/clock.ts";
import type { ActionContext } from "../actions/context.ts";
import { historyMonthStatements } from "../incidents/history-months.ts";
import { newId } from "../model/ids.ts";
import { jobInsert, type OutboxJob, outboxJob } from "./outbox.ts";
import { renderTopicsOf, type Touched, unionOfTouched } from "./touched.ts";

export type { RenderTopics } from "./outbox.ts";
export type { Touched } from "./touched.ts";

export type Statement = BatchItem<"sqlite">;

export type Audit = {
  action: string;
  targetType: string;
  targetId: string;
  details: Record<string, unknown>;
};

export type Change = {
  statements: Statement[];
  audit: Audit;
  /** Outbox jobs written in the same batch (notifications); the render job is derived from `touched`. */
  jobs: OutboxJob[];
  /** What the change touched on the public page; absent when it shows nowhere (see touched.ts). */
  touched?: Touched | undefined;
};

/**
 * A change planned from state loaded once (a pure function: no reads), with what the caller shows
 * (`view`) and the state after it, so further changes can be planned on top and committed together.
 */
export type Planned<View, State> = Change & { view: View; state: State };

/**
 * Commits a change, its audit row and its outbox jobs in one atomic batch (flow 1 in docs/architecture.md).
 * A public change (one that reports what it touched) also gets its render job, the recount of the history
 * months it names and the page's new `updated_at`, all decided here from its report.
 * `db.batch` rather than an interactive transaction: it is atomic on libSQL and D1 and never blocks.
 */
export async function commitChange(ctx: ActionContext, change: Change): Promise<void> {
  await commitChanges(ctx, [change]);
}

/** Commits several planned changes (an import, a tick) in one batch: all of them or none. */
export async function commitChanges(ctx: ActionContext, changes: Change[]): Promise<void> {
  const now = isoNow(ctx.clock);
  const { db } = ctx;
  const actor = `${ctx.actor.name} (${ctx.actor.id})`;
  const statements: Statement[] = [];
  for (const change of changes) {
    statements.push(...change.statements, db.insert(auditLog).values({ id: newId(), at: now, actor, ...change.audit }));
  }
  const queued = changes.flatMap((change) => change.jobs);
  const touched = unionOfTouched(changes.map((change) => change.touched));
  if (touched) {
    statements.push(...historyMonthStatements(db, touched.months ?? []), db.update(page).set({ updatedAt: now }));
    queued.push(outboxJob("render", renderTopicsOf(touched)));
  }
  for (const job of queued) statements.push(jobInsert(db, job, now));
  const [first, ...rest] = statements;
  if (!first) return;
  await db.batch([first, ...rest]);
  ctx.onCommit?.();
}

/** The history month an incident is listed under. */
export function historyMonth(startedAt: string): string {
  return startedAt.slice(0, 7);
}
