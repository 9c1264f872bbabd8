import { and, eq, inArray, isNull } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { alertSources, alerts } from "../../../db/schema.ts";
import type { ActionContext } from "../../actions/context.ts";
import type { Statement } from "../../changes/commit.ts";
import { failUnlessChanged, isStalePlan } from "../../changes/guard.ts";
import { evaluationRequestStatements } from "../automation/request.ts";
import { alertUpsertStatements } from "../store.ts";
import { heartbeatAlert } from "./heartbeat.ts";
import { alertLogInsert } from "./log-line.ts";
import type { AlertSourceRow } from "./schemas.ts";

const HEARTBEAT = "heartbeat";

/** A heartbeat's alert: its state now, or undefined before it ever fired. */
async function heartbeatStates(db: Db, sourceIds: string[]): Promise<Map<string, "firing" | "resolved">> {
  if (sourceIds.length === 0) return new Map();
  const rows = await db
    .select({ sourceId: alerts.sourceId, status: alerts.status })
    .from(alerts)
    .where(and(inArray(alerts.sourceId, sourceIds), eq(alerts.fingerprint, HEARTBEAT)));
  return new Map(rows.map((row) => [row.sourceId, row.status]));
}

/**
 * Raises or resolves a heartbeat's alert exactly once: the upsert changes a row only when the state differs,
 * and the guard after it drops the log line and the evaluation request when another process got there first.
 */
async function moveHeartbeat(
  ctx: ActionContext,
  source: AlertSourceRow,
  status: "firing" | "resolved",
  now: Date,
): Promise<boolean> {
  const line = alertLogInsert(
    ctx.db,
    {
      kind: "heartbeat",
      sourceId: source.id,
      httpStatus: null,
      summary: heartbeatAlert(source, status, source.lastPingAt).summary,
      details: { status, last_ping_at: source.lastPingAt, heartbeat_minutes: source.heartbeatMinutes },
    },
    now,
  );
  const statements: Statement[] = [
    ...alertUpsertStatements(ctx.db, source.id, [heartbeatAlert(source, status, source.lastPingAt)], now),
    failUnlessChanged(ctx.db),
    line.statement,
    ...evaluationRequestStatements(ctx.db, now),
  ];
  try {
    await ctx.db.batch(statements as [Statement, ...Statement[]]);
  } catch (error) {
    if (isStalePlan(error)) return false;
    throw error;
  }
  ctx.onCommit?.();
  return true;
}

/** A ping: the heartbeat is alive now; a firing heartbeat alert resolves. Routine pings write no log line. */
export async function receivePing(ctx: ActionContext, source: AlertSourceRow, now: Date) {
  const at = now.toISOString();
  await ctx.db.update(alertSources).set({ lastPingAt: at }).where(eq(alertSources.id, source.id));
  const state = (await heartbeatStates(ctx.db, [source.id])).get(source.id);
  const back = state === "firing" && (await moveHeartbeat(ctx, { ...source, lastPingAt: at }, "resolved", now));
  return {
    outcome: "accepted" as const,
    answer: {
      source: source.id,
      summary: back ? "ping; the heartbeat is back, its alert resolved" : "ping",
      alerts: back ? 1 : 0,
      changed: back ? 1 : 0,
      evaluation_requested: back,
      duplicate: false,
      log_id: null,
    },
  };
}

/** When a heartbeat is overdue: its last ping (or, never pinged, its creation) plus its period. */
export function heartbeatDueAt(source: Pick<AlertSourceRow, "lastPingAt" | "createdAt" | "heartbeatMinutes">): Date {
  const since = Date.parse(source.lastPingAt ?? source.createdAt);
  return new Date(since + (source.heartbeatMinutes ?? 0) * 60_000);
}

/**
 * The tick's heartbeat check (Node's interval and the Worker's cron alike): each live heartbeat whose last
 * ping is older than its period raises its alert, once (a second tick, or a second process, finds it firing),
 * with a `heartbeat` log line and an evaluation request. Returns the sources it raised.
 */
export async function checkHeartbeats(ctx: ActionContext): Promise<string[]> {
  const now = ctx.clock.now();
  const sources = await ctx.db
    .select()
    .from(alertSources)
    .where(and(eq(alertSources.kind, "heartbeat"), isNull(alertSources.revokedAt)));
  const overdue = sources.filter((source) => heartbeatDueAt(source) <= now);
  const states = await heartbeatStates(
    ctx.db,
    overdue.map((source) => source.id),
  );
  const raised: string[] = [];
  for (const source of overdue) {
    if (states.get(source.id) === "firing") continue;
    if (await moveHeartbeat(ctx, source, "firing", now)) raised.push(source.id);
  }
  return raised;
}
