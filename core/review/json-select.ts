/**
 * A select's rows read back as one JSON text. The review reads hundreds of thousands of rows (every update of
 * a year); libSQL builds a JavaScript object per row and cell, while one `json_group_array` is parsed at once.
 */
import { type Column, type SQLWrapper, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";

/**
 * `query`'s rows, read as JSON. `fields` is the object the query selects (its columns are named in it by their
 * column names, so no two may share one); each value is mapped as drizzle maps it.
 */
export async function selectAsJson<Row>(
  db: Db,
  query: SQLWrapper & PromiseLike<Row[]>,
  fields: Record<string, Column>,
): Promise<Row[]> {
  const entries = Object.entries(fields);
  const names = sql.join(
    entries.map(([, column]) => sql.identifier(column.name)),
    sql`, `,
  );
  const [result] = await db.all<{ rows: string | null }>(
    sql`SELECT json_group_array(json_array(${names})) AS rows FROM (${query})`,
  );
  const parsed: unknown = JSON.parse(result?.rows ?? "[]");
  if (!Array.isArray(parsed)) throw new Error("SQLite returned rows that are not a JSON array.");
  return parsed.map((cells: unknown) => {
    if (!Array.isArray(cells) || cells.length !== entries.length) {
      throw new Error("SQLite returned a row whose cells do not match the selected columns.");
    }
    const row: Record<string, unknown> = {};
    entries.forEach(([key, column], i) => {
      const cell: unknown = cells[i];
      row[key] = cell === null ? null : column.mapFromDriverValue(cell);
    });
    // The keys and values are exactly those drizzle maps this select's rows to.
    return row as Row;
  });
}
