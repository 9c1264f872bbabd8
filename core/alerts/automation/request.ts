import { sql } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import type { Statement } from "../../changes/commit.ts";
import { newId } from "../../model/ids.ts";

/** The evaluation counter's single row (`alert_evaluation.id`). */
export const EVALUATION_ROW = "alerts";

/**
 * The statements that ask for an evaluation of the alerts, written in the intake's batch: the request count
 * goes up, and an `evaluate_alerts` job keyed by the count evaluated so far is queued. Alerts arriving between
 * two evaluations share one job; one arriving while an evaluation runs finds that evaluation's key taken, and
 * the running evaluation sees the higher count and goes round again (core/alerts/automation/evaluate.ts).
 */
export function evaluationRequestStatements(db: Db, now: Date): Statement[] {
  const at = now.toISOString();
  return [
    // The row is made by the first request (not by the migration, so an empty database stays empty for a restore).
    db.run(sql`
      INSERT INTO alert_evaluation (id, requested, evaluated) VALUES (${EVALUATION_ROW}, 1, 0)
      ON CONFLICT (id) DO UPDATE SET requested = requested + 1
    `),
    db.run(sql`
      INSERT INTO jobs (id, kind, dedupe_key, state, payload, run_at, attempts, created_at)
      SELECT ${newId()}, 'evaluate_alerts', 'evaluate_alerts:' || evaluated, 'pending', '{}', ${at}, 0, ${at}
      FROM alert_evaluation WHERE id = ${EVALUATION_ROW}
      ON CONFLICT (dedupe_key) DO NOTHING
    `),
  ];
}
