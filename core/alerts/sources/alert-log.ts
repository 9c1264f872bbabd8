import { and, desc, eq, lt, or, sql } from "drizzle-orm";
import { z } from "zod";
import { ALERT_LOG_KINDS } from "../../../db/enums.ts";
import { alertLog } from "../../../db/schema.ts";
import type { ActionContext } from "../../actions/context.ts";
import { defineQuery } from "../../actions/define.ts";
import { enumParam, intParamWithDefault } from "../../actions/query-params.ts";

/** How long the intake log keeps a line. */
export const ALERT_LOG_DAYS = 30;

export const alertLogLineSchema = z.strictObject({
  id: z.string(),
  at: z.string(),
  kind: z.enum(ALERT_LOG_KINDS),
  source_id: z.string().nullable(),
  http_status: z.int().nullable(),
  summary: z.string(),
  details: z.record(z.string(), z.unknown()),
  idempotency_key: z.string().nullable(),
});

export const alertLogPageSchema = z.strictObject({
  lines: z.array(alertLogLineSchema),
  /** Pass as `before` for the next (older) page; null on the last page. */
  next_before: z.string().nullable(),
});

export type AlertLogPage = z.output<typeof alertLogPageSchema>;

export const listAlertLogInput = z.object({
  source: z.string().max(100).optional().describe("only this source's lines"),
  kind: enumParam("only lines of this kind", ALERT_LOG_KINDS),
  before: z.string().max(40).optional().describe("the `next_before` of the previous page: lines older than that one"),
  limit: intParamWithDefault("lines per page", { min: 1, max: 200, default: 50 }),
});

/** The intake log, newest first: every delivery received or refused and what the automation did (30 days). */
export const listAlertLog = defineQuery({
  name: "alert_log.list",
  role: "viewer",
  doing: "read the intake log",
  input: listAlertLogInput,
  async read(ctx, input): Promise<AlertLogPage> {
    const [cursor] = input.before
      ? await ctx.db.select({ at: alertLog.at, id: alertLog.id }).from(alertLog).where(eq(alertLog.id, input.before))
      : [];
    const rows = await ctx.db
      .select()
      .from(alertLog)
      .where(
        and(
          input.source ? eq(alertLog.sourceId, input.source) : undefined,
          input.kind ? eq(alertLog.kind, input.kind) : undefined,
          cursor
            ? or(lt(alertLog.at, cursor.at), and(eq(alertLog.at, cursor.at), lt(alertLog.id, cursor.id)))
            : undefined,
        ),
      )
      .orderBy(desc(alertLog.at), desc(alertLog.id))
      .limit(input.limit + 1);
    const lines = rows.slice(0, input.limit).map((row) => ({
      id: row.id,
      at: row.at,
      kind: row.kind,
      source_id: row.sourceId,
      http_status: row.httpStatus,
      summary: row.summary,
      details: row.details,
      idempotency_key: row.idempotencyKey,
    }));
    return { lines, next_before: rows.length > input.limit ? (lines.at(-1)?.id ?? null) : null };
  },
});

/** Most lines one prune deletes: the tick stays cheap, and a backlog goes in a few ticks. */
const PRUNE_BATCH = 5000;

/** Deletes log lines older than 30 days (through the `at` index); the tick calls it. Returns how many. */
export async function pruneAlertLog(ctx: Pick<ActionContext, "db" | "clock">): Promise<number> {
  const cutoff = new Date(ctx.clock.now().getTime() - ALERT_LOG_DAYS * 86_400_000).toISOString();
  const result = await ctx.db.run(
    sql`DELETE FROM alert_log WHERE id IN (SELECT id FROM alert_log WHERE at < ${cutoff} ORDER BY at LIMIT ${PRUNE_BATCH})`,
  );
  return result.rowsAffected;
}
