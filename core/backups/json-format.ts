import { z } from "zod";
import { invalid } from "../actions/errors.ts";
import { type TableChecksums, tableChecksum } from "./checksum.ts";
import type { Cell, Snapshot } from "./snapshot.ts";

export const JSON_BACKUP_FORMAT = "herald-backup";
export const JSON_BACKUP_VERSION = 1;

const cell: z.ZodType<Cell> = z.union([
  z.string(),
  z.number(),
  z.null(),
  z.object({ $int: z.string().regex(/^-?\d+$/) }).strict(),
  z.object({ $blob: z.base64() }).strict(),
]);

const backupFile = z.object({
  format: z.literal(JSON_BACKUP_FORMAT),
  version: z.literal(JSON_BACKUP_VERSION),
  created_at: z.iso.datetime(),
  schema: z.object({ migrations: z.number().int().min(0), latest_migration_at: z.number().int().nullable() }),
  tables: z.array(
    z.object({
      name: z.string().min(1),
      columns: z.array(z.string().min(1)).min(1),
      count: z.number().int().min(0),
      checksum: z.string(),
      rows: z.array(z.array(cell)),
    }),
  ),
});

/**
 * The portable backup: a header (format, version, Herald's schema version, when) and every table's
 * columns, row count, checksum and rows. The checksums let a reader notice a damaged file by itself.
 */
export function toBackupJson(snapshot: Snapshot, checksums: TableChecksums, createdAt: string): string {
  const tables = snapshot.tables.map((t) => ({
    name: t.name,
    columns: t.columns,
    count: t.rows.length,
    checksum: checksums[t.name]?.checksum ?? "",
    rows: t.rows,
  }));
  // One row per line keeps a large export readable and diffable.
  const body = tables
    .map((t) => {
      const { rows, ...head } = t;
      const lines = rows.map((row) => `      ${JSON.stringify(row)}`).join(",\n");
      return `    ${JSON.stringify(head).slice(0, -1)}, "rows": [${rows.length ? `\n${lines}\n    ` : ""}]}`;
    })
    .join(",\n");
  const header = {
    format: JSON_BACKUP_FORMAT,
    version: JSON_BACKUP_VERSION,
    created_at: createdAt,
    schema: snapshot.schema,
  };
  return `${JSON.stringify(header, null, 2).slice(0, -2)},\n  "tables": [\n${body}\n  ]\n}\n`;
}

/** Reads a JSON backup back into a snapshot, refusing anything malformed, truncated or altered. */
export async function parseBackupJson(text: string): Promise<{ snapshot: Snapshot; createdAt: string }> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw invalid(`The backup is not valid JSON (is it truncated?): ${(error as Error).message}`);
  }
  const parsed = backupFile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalid(
      `The file is not a Herald JSON backup (format ${JSON_BACKUP_FORMAT}, version ${JSON_BACKUP_VERSION}): ${issue?.path.join(".") || "(file)"}: ${issue?.message}`,
    );
  }
  const file = parsed.data;
  for (const table of file.tables) {
    if (table.rows.length !== table.count) {
      throw invalid(
        `The backup is damaged: table ${table.name} holds ${table.rows.length} rows, its header says ${table.count}.`,
      );
    }
    const bad = table.rows.findIndex((row) => row.length !== table.columns.length);
    if (bad >= 0)
      throw invalid(`The backup is damaged: row ${bad + 1} of table ${table.name} has the wrong number of values.`);
    if ((await tableChecksum(table)) !== table.checksum) {
      throw invalid(`The backup is damaged: the rows of table ${table.name} do not match its checksum.`);
    }
  }
  return {
    snapshot: {
      schema: file.schema,
      tables: file.tables.map((t) => ({ name: t.name, columns: t.columns, rows: t.rows })),
    },
    createdAt: file.created_at,
  };
}
