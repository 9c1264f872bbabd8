import type { Client, InValue, Value } from "@libsql/client";

/**
 * One cell of a backed-up row in a JSON-safe form: integers beyond 2^53 and blobs are tagged so that a
 * round trip through JSON gives back exactly what SQLite stored.
 */
export type Cell = string | number | null | { $int: string } | { $blob: string };

export type TableRows = { name: string; columns: string[]; rows: Cell[][] };

/** Which migrations the database has applied (drizzle's journal), so a restore can refuse a mismatch. */
export type SchemaVersion = { migrations: number; latest_migration_at: number | null };

/** Every table's rows, read in one snapshot, with the schema version they belong to. */
export type Snapshot = { schema: SchemaVersion; tables: TableRows[] };

export type TableShape = {
  name: string;
  columns: string[];
  orderBy: string[];
  hasPrimaryKey: boolean;
  /** Tables this one's foreign keys point at. */
  parents: string[];
};

const JOURNAL = "__drizzle_migrations";

/** Tables that are SQLite's, libSQL's or the migrator's own rather than Herald's data. */
function isHeraldTable(name: string): boolean {
  return !/^(sqlite_|libsql_|_cf_|_litestream)/.test(name) && !name.startsWith("__drizzle");
}

export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Herald's tables with their columns and primary key, in name order. */
export async function describeTables(client: Client): Promise<{ tables: TableShape[]; hasJournal: boolean }> {
  const names = (await client.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")).rows.map(
    (row) => String(row.name),
  );
  const heraldNames = names.filter(isHeraldTable);
  const infos = await client.batch(
    heraldNames.flatMap((name) => [
      { sql: "SELECT name, pk FROM pragma_table_info(?) ORDER BY cid", args: [name] },
      { sql: 'SELECT DISTINCT "table" AS parent FROM pragma_foreign_key_list(?)', args: [name] },
    ]),
    "read",
  );
  const tables = heraldNames.map((name, i) => {
    const info = infos[2 * i]?.rows ?? [];
    const parents = (infos[2 * i + 1]?.rows ?? []).map((row) => String(row.parent)).filter((p) => p !== name);
    const columns = info.map((row) => String(row.name));
    const primaryKey = info
      .filter((row) => Number(row.pk) > 0)
      .sort((a, b) => Number(a.pk) - Number(b.pk))
      .map((row) => String(row.name));
    // Without a primary key every column orders the rows, so the order (and the checksum) is still stable.
    const hasPrimaryKey = primaryKey.length > 0;
    return { name, columns, orderBy: hasPrimaryKey ? primaryKey : columns, hasPrimaryKey, parents };
  });
  return { tables, hasJournal: names.includes(JOURNAL) };
}

function journalQuery(hasJournal: boolean): string {
  return hasJournal
    ? `SELECT count(*) AS migrations, max(created_at) AS latest FROM ${JOURNAL}`
    : "SELECT 0 AS migrations, NULL AS latest";
}

function toSchemaVersion(row: Record<string, Value> | undefined): SchemaVersion {
  const latest = row?.latest;
  return { migrations: Number(row?.migrations ?? 0), latest_migration_at: latest == null ? null : Number(latest) };
}

export async function readSchemaVersion(client: Client): Promise<SchemaVersion> {
  const { hasJournal } = await describeTables(client);
  return toSchemaVersion((await client.execute(journalQuery(hasJournal))).rows[0]);
}

/**
 * Reads every table in primary-key order in ONE read batch: libSQL runs a batch as one transaction
 * (locally `BEGIN` … `COMMIT` on one connection; remotely one request), so all tables come from the
 * same snapshot without an interactive transaction.
 */
export async function readSnapshot(client: Client): Promise<Snapshot> {
  const { tables, hasJournal } = await describeTables(client);
  const results = await client.batch([journalQuery(hasJournal), ...tables.map((t) => selectRows(t))], "read");
  return {
    schema: toSchemaVersion(results[0]?.rows[0]),
    tables: tables.map((t, i) => ({
      name: t.name,
      columns: t.columns,
      rows: (results[i + 1]?.rows ?? []).map((row) => t.columns.map((_, c) => toCell(row[c] ?? null))),
    })),
  };
}

function selectRows(table: TableShape, where = "", limit = ""): string {
  const columns = table.columns.map(quoteIdentifier).join(", ");
  const order = table.orderBy.map(quoteIdentifier).join(", ");
  return `SELECT ${columns} FROM ${quoteIdentifier(table.name)}${where} ORDER BY ${order}${limit}`;
}

/**
 * A table's rows in primary-key order, `pageSize` at a time (keyset pagination, so each page is an index
 * seek). Only consistent on a database nobody writes meanwhile, such as a backup file or a scratch copy.
 */
export async function* tablePages(client: Client, table: TableShape, pageSize = 2000): AsyncGenerator<Cell[][]> {
  const toRows = (rows: Record<string, Value>[]) =>
    rows.map((row) => table.columns.map((_, c) => toCell(row[c] ?? null)));
  if (!table.hasPrimaryKey) {
    yield toRows((await client.execute(selectRows(table))).rows);
    return;
  }
  const keys = table.orderBy.map((column) => table.columns.indexOf(column));
  const after = ` WHERE (${table.orderBy.map(quoteIdentifier).join(", ")}) > (${keys.map(() => "?").join(", ")})`;
  let last: Value[] | null = null;
  for (;;) {
    const page: Record<string, Value>[] = (
      await client.execute({ sql: selectRows(table, last ? after : "", ` LIMIT ${pageSize}`), args: last ?? [] })
    ).rows;
    if (page.length > 0) yield toRows(page);
    const final = page[page.length - 1];
    if (page.length < pageSize || !final) return;
    last = keys.map((k) => final[k] ?? null);
  }
}

/** Tables ordered so that every table comes after the tables its foreign keys point at. */
export function parentsFirst<T extends { name: string; parents: string[] }>(tables: T[]): T[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const ordered: T[] = [];
  const seen = new Set<string>();
  const visit = (table: T) => {
    if (seen.has(table.name)) return;
    seen.add(table.name);
    for (const parent of table.parents) {
      const found = byName.get(parent);
      if (found) visit(found);
    }
    ordered.push(table);
  };
  for (const table of tables) visit(table);
  return ordered;
}

export function toCell(value: Value): Cell {
  if (value === null || typeof value === "string") return value;
  if (typeof value === "number") return value;
  if (typeof value === "bigint") {
    return Number.isSafeInteger(Number(value)) ? Number(value) : { $int: value.toString() };
  }
  let binary = "";
  for (const byte of new Uint8Array(value)) binary += String.fromCharCode(byte);
  return { $blob: btoa(binary) };
}

export function fromCell(cell: Cell): InValue {
  if (cell === null || typeof cell === "string" || typeof cell === "number") return cell;
  if ("$int" in cell) return BigInt(cell.$int);
  return Uint8Array.from(atob(cell.$blob), (char) => char.charCodeAt(0));
}

export function rowCount(snapshot: Snapshot): number {
  return snapshot.tables.reduce((sum, t) => sum + t.rows.length, 0);
}
