import type { BatchItem } from "drizzle-orm/batch";
import { auditLog, jobs, page } from "../db/schema.ts";
import { isoNow } from "./clock.ts";
import type { ActionContext } from "./context.ts";
import { newId } from "./ids.ts";

export type Statement = BatchItem<"sqlite">;

/** What a published change touched, so the renderer re-renders only those routes. */
export type RenderTopics = {
  incidents?: string[];
  components?: string[];
  /** History months (`YYYY-MM`) whose pages list a changed incident. */
  months?: string[];
  full?: boolean;
};

export type Audit = {
  action: string;
  targetType: string;
  targetId: string;
  details: Record<string, unknown>;
};

export type Change = {
  statements: Statement[];
  audit: Audit;
  /** Public-facing changes queue a render job; private ones (tokens) do not. */
  render?: RenderTopics | undefined;
};

/**
 * Commits a change, its audit row and its outbox jobs in one atomic batch (flow 1 of ARCHITECTURE.md).
 * `db.batch` rather than an interactive transaction: it is atomic on libSQL and D1 and never blocks.
 */
export async function commitChange(ctx: ActionContext, change: Change): Promise<void> {
  const now = isoNow(ctx.clock);
  const { db } = ctx;
  const statements: Statement[] = [
    ...change.statements,
    db.insert(auditLog).values({
      id: newId(),
      at: now,
      actor: `${ctx.actor.name} (${ctx.actor.id})`,
      action: change.audit.action,
      targetType: change.audit.targetType,
      targetId: change.audit.targetId,
      details: change.audit.details,
    }),
  ];
  if (change.render) {
    statements.push(db.update(page).set({ updatedAt: now }));
    statements.push(
      db.insert(jobs).values({
        id: newId(),
        kind: "render",
        dedupeKey: `render:${newId()}`,
        payload: change.render,
        runAt: now,
        createdAt: now,
      }),
    );
  }
  await db.batch(statements as [Statement, ...Statement[]]);
  ctx.onCommit?.();
}

/** The history month an incident is listed under. */
export function historyMonth(startedAt: string): string {
  return startedAt.slice(0, 7);
}
