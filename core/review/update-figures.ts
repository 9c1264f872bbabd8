/**
 * Each incident's figures that come from its updates (docs/review.md, "The rules"), aggregated in SQL: a year
 * holds hundreds of thousands of updates, and reading them one row each costs seconds. LEAD over an incident's
 * updates (by display time, then id, as `incidentMetrics` orders them) gives each update the next one's time:
 * the status held until then, and whether the promise it made was kept. The result comes back as one JSON text.
 * The promises here ignore acknowledgements; `loadReviewData` reads the updates of the few incidents that have
 * one and computes those in JavaScript.
 */
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import type { ReviewPeriod } from "./types.ts";

/** A promise whose time came: kept (`lateMs` 0) or late. */
export type PromiseOutcome = {
  updateId: string | null;
  dueAt: string;
  answeredAt: string | null;
  lateMs: number;
};

/** The measured statuses (figures.ts MEASURED_STATUSES), in the order of `UpdateFigures.statusMs`. */
const MEASURED = ["investigating", "identified", "monitoring", "in_progress", "verifying"] as const;

export type UpdateFigures = {
  /** The first update's display time, in milliseconds. */
  firstAt: number;
  statusMs: Map<(typeof MEASURED)[number], number>;
  /** Promises whose time came, kept or late. */
  due: number;
  late: PromiseOutcome[];
};

/** An ISO instant as Unix milliseconds, exactly as `Date.parse` reads the stored form. */
const ms = (column: SQL) => sql`CAST(round((julianday(${column}) - 2440587.5) * 86400000.0) AS INTEGER)`;

/** The aggregation for the incidents that started in `window`, with `now` in milliseconds. */
export function updateFiguresQuery(window: ReviewPeriod, now: number): SQL {
  const held = MEASURED.map((status, i) => sql`, sum(held) FILTER (WHERE status = ${status}) AS ${sql.raw(`s${i}`)}`);
  const heldNames = MEASURED.map((_, i) => `s${i}`).join(", ");
  return sql`WITH updates_ AS (
    SELECT u.incident_id, u.id, u.status, u.next_update_in_minutes AS minutes, u.display_at,
      ${ms(sql`u.display_at`)} AS at
    FROM incidents i JOIN incident_updates u ON u.incident_id = i.id
    WHERE i.started_at >= ${window.from} AND i.started_at < ${window.to}
  ), timed AS (
    SELECT incident_id, id, status, at,
      LEAD(at) OVER (PARTITION BY incident_id ORDER BY display_at, id) AS next_at,
      CASE WHEN status IN ('resolved', 'postmortem', 'completed') OR minutes IS NULL OR minutes = 0 THEN NULL
        ELSE at + minutes * 60000 END AS due
    FROM updates_
  ), outcomes AS (
    SELECT incident_id, id, status, at, next_at, due,
      CASE WHEN due IS NULL THEN NULL WHEN next_at IS NOT NULL THEN max(0, next_at - due)
        WHEN due < ${now} THEN ${now} - due ELSE NULL END AS late,
      max(0, coalesce(next_at, ${now}) - at) AS held
    FROM timed
  ), incidents_ AS (
    SELECT incident_id, min(at) AS first_at${sql.join(held, sql``)}, count(late) AS due,
      group_concat(id || ',' || due || ',' || coalesce(next_at, '') || ',' || late, ';') FILTER (WHERE late > 0) AS late
    FROM outcomes GROUP BY incident_id
  )
  SELECT json_group_array(json_array(incident_id, first_at, ${sql.raw(heldNames)}, due, late)) AS rows FROM incidents_`;
}

export async function loadUpdateFigures(
  db: Db,
  window: ReviewPeriod,
  now: number,
): Promise<Map<string, UpdateFigures>> {
  const [result] = await db.all<{ rows: string | null }>(updateFiguresQuery(window, now));
  const parsed: unknown = JSON.parse(result?.rows ?? "[]");
  if (!Array.isArray(parsed)) throw new Error("SQLite returned update figures that are not a JSON array.");
  const figures = new Map<string, UpdateFigures>();
  for (const row of parsed) {
    if (!Array.isArray(row)) throw new Error("SQLite returned an update figure that is not a row.");
    const [incidentId, firstAt, ...rest] = row as [string, number, ...(number | string | null)[]];
    const statusMs = new Map<(typeof MEASURED)[number], number>();
    MEASURED.forEach((status, i) => {
      const held = Number(rest[i] ?? 0);
      if (held > 0) statusMs.set(status, held);
    });
    const late = rest[MEASURED.length + 1];
    figures.set(incidentId, {
      firstAt,
      statusMs,
      due: Number(rest[MEASURED.length] ?? 0),
      late: typeof late === "string" ? late.split(";").map(lateOutcome) : [],
    });
  }
  return figures;
}

function lateOutcome(text: string): PromiseOutcome {
  const [updateId = "", due = "", answered = "", lateMs = ""] = text.split(",");
  return {
    updateId,
    dueAt: new Date(Number(due)).toISOString(),
    answeredAt: answered === "" ? null : new Date(Number(answered)).toISOString(),
    lateMs: Number(lateMs),
  };
}
