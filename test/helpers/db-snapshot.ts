import type { Db } from "../../db/client.ts";

/** Every table's rows, each row as JSON, sorted: two snapshots compare table by table. */
export type DbSnapshot = Record<string, string[]>;

/** Columns (`table.column`) or whole tables left out of a snapshot. */
export type SnapshotIgnore = string[];

export async function snapshotDb(db: Db, ignore: SnapshotIgnore = []): Promise<DbSnapshot> {
  const tables = await db.$client.execute(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
  );
  const names = tables.rows.map((row) => String(row.name)).filter((table) => !ignore.includes(table));
  // One read batch: every table as of the same moment.
  const results = await db.$client.batch(
    names.map((table) => `SELECT * FROM "${table.replace(/"/g, '""')}"`),
    "read",
  );
  const snapshot: DbSnapshot = {};
  for (const [index, table] of names.entries()) {
    const result = results[index];
    if (!result) continue;
    const kept = result.columns.filter((column) => !ignore.includes(`${table}.${column}`));
    snapshot[table] = result.rows
      .map((row) => JSON.stringify(Object.fromEntries(kept.map((column) => [column, cell(row[column])]))))
      .sort();
  }
  return snapshot;
}

function cell(value: unknown): unknown {
  if (typeof value === "bigint") return `${value}n`;
  if (value instanceof ArrayBuffer) return `blob:${Buffer.from(value).toString("base64")}`;
  return value;
}

/** What changed, one line per added (+) or removed (-) row, named by table; empty when nothing did. */
export function diffSnapshots(before: DbSnapshot, after: DbSnapshot): string[] {
  const lines: string[] = [];
  for (const table of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    const was = new Set(before[table] ?? []);
    const now = new Set(after[table] ?? []);
    if (!(table in before)) lines.push(`+ table ${table}`);
    if (!(table in after)) lines.push(`- table ${table}`);
    for (const row of was) if (!now.has(row)) lines.push(`${table} - ${row}`);
    for (const row of now) if (!was.has(row)) lines.push(`${table} + ${row}`);
  }
  return lines;
}
