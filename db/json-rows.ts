import { type AnyColumn, getTableColumns, type SQL, type SQLWrapper, sql } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Db } from "./client.ts";

/**
 * Selects whole rows of `table` as one JSON document built by SQLite, then maps each value as drizzle
 * would (booleans, JSON columns). The same rows a plain `select()` returns, in `orderBy` order (in no
 * particular order without it: numbering the rows is most of SQLite's work for 900 uptime rows), at a
 * fraction of the cost: the libSQL driver spends ~1 µs turning each cell into a JS value, so the 250
 * updates of a feed (14 columns) took ~4 ms to read and now take under 2, and reads like that run on
 * every change (docs/architecture.md, "What a change re-renders").
 */
export async function selectRowsAsJson<T extends SQLiteTable>(
  db: Db,
  table: T,
  query: {
    where?: SQL | undefined;
    orderBy?: SQL | undefined;
    limit?: number | undefined;
    offset?: number | undefined;
  },
): Promise<T["$inferSelect"][]> {
  const { orderBy, limit } = query;
  const where =
    limit === undefined
      ? query.where
      : // The page of rows picked by rowid, so its query keeps its own plan (an index walk that stops at
        // `limit`); numbering the rows over `orderBy` first would sort every matching row.
        sql`${table}.rowid IN (${db
          .select({ rowid: sql`${table}.rowid` })
          .from(table)
          .where(query.where)
          .orderBy(orderBy ?? sql`${table}.rowid`)
          .limit(limit)
          .offset(query.offset ?? 0)})`;
  const columns: [string, AnyColumn][] = Object.entries(getTableColumns(table));
  const values = sql.join(
    columns.map(([, column]) => sql`${column}`),
    sql`, `,
  );
  // Each row carries its place in `orderBy` (an aggregate's own ORDER BY needs SQLite 3.44, which the
  // libSQL server does not have), and the rows are put in that order here.
  const number = orderBy ? sql`row_number() OVER (ORDER BY ${orderBy})` : sql`0`;
  const [result] = await db.all<{ rows: string | null }>(
    sql`SELECT json_group_array(json_array(herald_row_number, ${values})) AS rows FROM (SELECT ${number} AS herald_row_number, * FROM ${table}${where ? sql` WHERE ${where}` : sql``}) AS ${table}`,
  );
  const parsed: unknown = JSON.parse(result?.rows ?? "[]");
  if (!Array.isArray(parsed)) throw new Error("SQLite returned rows that are not a JSON array.");
  const placed = parsed.map((cells: unknown): [number, T["$inferSelect"]] => {
    if (!Array.isArray(cells) || cells.length !== columns.length + 1 || typeof cells[0] !== "number") {
      throw new Error("SQLite returned a row whose cells do not match the table's columns.");
    }
    const row: Record<string, unknown> = {};
    columns.forEach(([key, column], i) => {
      const cell: unknown = cells[i + 1];
      row[key] = cell === null ? null : column.mapFromDriverValue(cell);
    });
    // The keys and values are exactly those drizzle maps a select of every column to.
    return [cells[0], row as T["$inferSelect"]];
  });
  return placed.sort((a, b) => a[0] - b[0]).map(([, row]) => row);
}

/**
 * `column IN (values)` with the values bound as one JSON array. A statement with hundreds of
 * placeholders (a page of 500 incident ids) is large, and the driver frees it only when V8 collects its
 * handle: reading the 37 months of a 100,000-incident history kept ~40 MB more native memory that way.
 * The index on `column` is used as for a plain IN list.
 */
export function inJsonArray(column: SQLWrapper, values: readonly string[]): SQL {
  return sql`${column} IN (SELECT value FROM json_each(${JSON.stringify(values)}))`;
}
