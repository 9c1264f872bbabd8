import type { Db } from "../../db/client.ts";
import type { SnapshotIgnore } from "./db-snapshot.ts";

const COUNTER = "test_change_counter";

/**
 * A count of every row written to the test database's tables (triggers on insert, delete and update of any column
 * not ignored), so a test learns whether a request changed anything from one small read instead of reading every
 * table. A test database only: the triggers are made after the migrations, on a copy nobody serves.
 */
export type ChangeCounter = { read(): Promise<number> };

export async function installChangeCounter(db: Db, ignore: SnapshotIgnore = []): Promise<ChangeCounter> {
  const client = db.$client;
  const tables = await client.execute(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
  );
  const names = tables.rows.map((row) => String(row.name)).filter((name) => !ignore.includes(name));
  const statements = [`CREATE TABLE "${COUNTER}" (n INTEGER NOT NULL)`, `INSERT INTO "${COUNTER}" (n) VALUES (0)`];
  const bump = `UPDATE "${COUNTER}" SET n = n + 1`;
  for (const table of names) {
    const columns = await client.execute(`SELECT name FROM pragma_table_info('${table.replace(/'/g, "''")}')`);
    const watched = columns.rows.map((row) => String(row.name)).filter((c) => !ignore.includes(`${table}.${c}`));
    const quoted = `"${table.replace(/"/g, '""')}"`;
    const trigger = (what: string) => `"${COUNTER}_${table}_${what}"`;
    statements.push(
      `CREATE TRIGGER ${trigger("insert")} AFTER INSERT ON ${quoted} BEGIN ${bump}; END`,
      `CREATE TRIGGER ${trigger("delete")} AFTER DELETE ON ${quoted} BEGIN ${bump}; END`,
      `CREATE TRIGGER ${trigger("update")} AFTER UPDATE OF ${watched.map((c) => `"${c}"`).join(", ")} ON ${quoted} BEGIN ${bump}; END`,
    );
  }
  await client.batch(statements, "write");
  return {
    async read() {
      const result = await client.execute(`SELECT n FROM "${COUNTER}"`);
      return Number(result.rows[0]?.n ?? 0);
    },
  };
}
