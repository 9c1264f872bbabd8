import type { Client, InStatement } from "@libsql/client";
import { HeraldError, invalid } from "../actions/errors.ts";
import {
  type Cell,
  describeTables,
  fromCell,
  parentsFirst,
  quoteIdentifier,
  readSchemaVersion,
  type SchemaVersion,
  type Snapshot,
  tablePages,
} from "./snapshot.ts";

/** Rows per INSERT: far below SQLite's variable limit for Herald's widest table. */
const ROWS_PER_INSERT = 100;
const FOREIGN_KEY_GUARD = "the restored rows break a foreign key";

async function assertSameSchema(backup: SchemaVersion, client: Client): Promise<void> {
  const target = await readSchemaVersion(client);
  if (target.migrations !== backup.migrations || target.latest_migration_at !== backup.latest_migration_at) {
    throw invalid(
      `The backup was made at schema version ${backup.migrations} (latest migration ${backup.latest_migration_at}); this database is at ${target.migrations} (${target.latest_migration_at}). Restore it with the Herald version that made it.`,
    );
  }
}

function insertStatements(table: string, columns: string[], rows: Cell[][]): InStatement[] {
  const columnList = columns.map(quoteIdentifier).join(", ");
  const placeholders = `(${columns.map(() => "?").join(", ")})`;
  const statements: InStatement[] = [];
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    const chunk = rows.slice(start, start + ROWS_PER_INSERT);
    statements.push({
      sql: `INSERT INTO ${quoteIdentifier(table)} (${columnList}) VALUES ${chunk.map(() => placeholders).join(", ")}`,
      args: chunk.flat().map(fromCell),
    });
  }
  return statements;
}

/**
 * Copies every table of a database nobody writes (a backup file) into a fresh, empty database at the
 * same schema version, a page at a time, parents before children, then checks its foreign keys. Not
 * atomic: it is for a scratch database, where memory stays flat however large the backup.
 */
export async function copyIntoScratch(from: Client, to: Client): Promise<number> {
  await assertSameSchema(await readSchemaVersion(from), to);
  let rows = 0;
  for (const table of parentsFirst((await describeTables(from)).tables)) {
    for await (const page of tablePages(from, table)) {
      await to.batch(insertStatements(table.name, table.columns, page), "write");
      rows += page.length;
    }
  }
  if ((await to.execute("PRAGMA foreign_key_check")).rows.length > 0) {
    throw invalid(`${FOREIGN_KEY_GUARD} (a row points at a missing parent).`);
  }
  return rows;
}

/** Herald tables that hold at least one row. */
export async function nonEmptyTables(client: Client): Promise<string[]> {
  const { tables } = await describeTables(client);
  const results = await client.batch(
    tables.map((t) => `SELECT 1 AS found FROM ${quoteIdentifier(t.name)} LIMIT 1`),
    "read",
  );
  return tables.filter((_, i) => (results[i]?.rows.length ?? 0) > 0).map((t) => t.name);
}

/**
 * Loads a snapshot into a database whose schema is already migrated to the snapshot's version. It
 * refuses a database that holds data unless `force`, which replaces all of it. Everything happens in
 * one write batch, so a failed restore leaves the database as it was.
 */
export async function restoreSnapshot(
  client: Client,
  snapshot: Snapshot,
  options: { force?: boolean } = {},
): Promise<{ tables: number; rows: number }> {
  await assertSameSchema(snapshot.schema, client);
  const { tables } = await describeTables(client);
  const shapes = new Map(tables.map((t) => [t.name, t.columns]));
  for (const table of snapshot.tables) {
    const columns = shapes.get(table.name);
    if (!columns) throw invalid(`The backup has a table this database does not: ${table.name}.`);
    const missing = table.columns.filter((c) => !columns.includes(c));
    if (missing.length > 0) throw invalid(`Table ${table.name} here has no column(s) ${missing.join(", ")}.`);
  }
  const filled = await nonEmptyTables(client);
  if (filled.length > 0 && !options.force) {
    throw new HeraldError(
      "conflict",
      `The database is not empty (${filled.join(", ")} hold rows); restore into an empty database, or pass --force to replace its content.`,
    );
  }

  const statements: InStatement[] = [
    // Checked once, at commit: rows can go in table by table in any order.
    "PRAGMA defer_foreign_keys = ON",
    ...(options.force ? tables.map((t) => `DELETE FROM ${quoteIdentifier(t.name)}`) : []),
  ];
  let rows = 0;
  for (const table of snapshot.tables) {
    statements.push(...insertStatements(table.name, table.columns, table.rows));
    rows += table.rows.length;
  }
  // Fails the batch (so nothing is committed) when a row points at a missing parent, even on a
  // connection where foreign keys are off; json() of invalid text is the only way to raise in plain SQL.
  statements.push({
    sql: "SELECT CASE WHEN EXISTS (SELECT 1 FROM pragma_foreign_key_check) THEN json(?) END",
    args: [FOREIGN_KEY_GUARD],
  });
  try {
    await client.batch(statements, "write");
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/malformed JSON/i.test(message) || /FOREIGN KEY/i.test(message)) {
      throw invalid(`Nothing was restored: ${FOREIGN_KEY_GUARD} (a row points at a missing parent).`);
    }
    throw new Error(`Nothing was restored: ${message}`);
  }
  return { tables: snapshot.tables.length, rows };
}
