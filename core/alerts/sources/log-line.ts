import type { Db } from "../../../db/client.ts";
import type { AlertLogKind } from "../../../db/enums.ts";
import { alertLog } from "../../../db/schema.ts";
import type { Statement } from "../../changes/commit.ts";
import { newId } from "../../model/ids.ts";

export type AlertLogLine = {
  kind: AlertLogKind;
  sourceId: string | null;
  httpStatus: number | null;
  summary: string;
  details: Record<string, unknown>;
  idempotencyKey?: string | null | undefined;
};

/** One line of the intake log (kept 30 days: `pruneAlertLog`). */
export function alertLogInsert(db: Db, line: AlertLogLine, now: Date): { id: string; statement: Statement } {
  const id = newId();
  const statement = db.insert(alertLog).values({
    id,
    at: now.toISOString(),
    kind: line.kind,
    sourceId: line.sourceId,
    httpStatus: line.httpStatus,
    summary: line.summary.slice(0, 500),
    details: line.details,
    idempotencyKey: line.idempotencyKey ?? null,
  });
  return { id, statement };
}
