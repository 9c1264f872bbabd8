import { sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../../db/client.ts";
import { historyMonths, incidents } from "../../db/schema.ts";

const month = sql`substr(${incidents.startedAt}, 1, 7)`;
const maintenances = sql`total(${incidents.kind} = 'maintenance')`;

/**
 * Statements that recount the given history months from the incidents table, for the end of a change's
 * batch (after the change's own rows): a month left with nothing is dropped. Each reads one range of
 * the month index (`incidents_month_idx`), so a change costs what its months hold, never the history.
 * (`GROUP BY` rather than a bare `HAVING`, which sqld's parser refuses: an empty month yields no row.)
 */
export function historyMonthStatements(db: Db, months: Iterable<string>): BatchItem<"sqlite">[] {
  // BatchItem, not commit.ts's Statement: commit.ts imports this file.
  return [...new Set(months)].flatMap((name): BatchItem<"sqlite">[] => [
    db.run(sql`INSERT INTO ${historyMonths} (month, incidents, maintenances)
      SELECT ${name}, count(*) - ${maintenances}, ${maintenances} FROM ${incidents} WHERE ${month} = ${name}
      GROUP BY ${month}
      ON CONFLICT (month) DO UPDATE SET incidents = excluded.incidents, maintenances = excluded.maintenances`),
    db.run(sql`DELETE FROM ${historyMonths} WHERE month = ${name}
      AND NOT EXISTS (SELECT 1 FROM ${incidents} WHERE ${month} = ${name})`),
  ]);
}

/** Recounts every month from scratch (a bulk import that bypassed the actions, as bench/seed.ts does). */
export async function rebuildHistoryMonths(db: Db): Promise<void> {
  await db.batch([
    db.delete(historyMonths),
    db.run(sql`INSERT INTO ${historyMonths} (month, incidents, maintenances)
      SELECT ${month}, count(*) - ${maintenances}, ${maintenances} FROM ${incidents} GROUP BY ${month}`),
  ]);
}
