import type { Client } from "@libsql/client";
import { type Cell, describeTables, type Snapshot, type TableRows, tablePages } from "./snapshot.ts";

/** Per table: how many rows and a SHA-256 over its columns and rows in primary-key order. */
export type TableChecksums = Record<string, { rows: number; checksum: string }>;

const CHUNK_CHARS = 1 << 20;
const encoder = new TextEncoder();

function hex(buffer: ArrayBuffer): string {
  return [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Web Crypto has no streaming digest, so rows are hashed in ~1 MiB chunks (cut at row boundaries, so
 * the same rows always give the same chunks) and the chunk digests are hashed once more.
 */
export async function tableChecksum(table: TableRows): Promise<string> {
  return (await checksumPages(table.columns, [table.rows])).checksum;
}

/** The checksum of rows that arrive page by page (see tablePages), without holding them all. */
export async function checksumPages(
  columns: string[],
  pages: AsyncIterable<Cell[][]> | Iterable<Cell[][]>,
): Promise<{ rows: number; checksum: string }> {
  const digests: Uint8Array[] = [];
  let rows = 0;
  let chunk = `${JSON.stringify(columns)}\n`;
  const flush = async () => {
    digests.push(new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(chunk))));
    chunk = "";
  };
  for await (const page of pages) {
    for (const row of page) {
      chunk += `${JSON.stringify(row)}\n`;
      if (chunk.length >= CHUNK_CHARS) await flush();
    }
    rows += page.length;
  }
  await flush();
  const all = new Uint8Array(digests.length * 32);
  digests.forEach((digest, i) => {
    all.set(digest, i * 32);
  });
  return { rows, checksum: `sha256:${hex(await crypto.subtle.digest("SHA-256", all))}` };
}

export async function snapshotChecksums(snapshot: Snapshot): Promise<TableChecksums> {
  const result: TableChecksums = {};
  for (const table of snapshot.tables) {
    result[table.name] = { rows: table.rows.length, checksum: await tableChecksum(table) };
  }
  return result;
}

/** Checksums of every table of a database that does not change meanwhile, read a page at a time. */
export async function databaseChecksums(client: Client): Promise<TableChecksums> {
  const result: TableChecksums = {};
  for (const table of (await describeTables(client)).tables) {
    result[table.name] = await checksumPages(table.columns, tablePages(client, table));
  }
  return result;
}

/** Every way `actual` differs from `expected`, in words; empty when they match table for table. */
export function checksumDifferences(expected: TableChecksums, actual: TableChecksums): string[] {
  const differences: string[] = [];
  for (const [name, want] of Object.entries(expected)) {
    const got = actual[name];
    if (!got) differences.push(`table ${name} is missing`);
    else if (got.rows !== want.rows) differences.push(`table ${name} has ${got.rows} rows, expected ${want.rows}`);
    else if (got.checksum !== want.checksum) differences.push(`table ${name} has different rows (checksum mismatch)`);
  }
  for (const name of Object.keys(actual)) if (!(name in expected)) differences.push(`unexpected table ${name}`);
  return differences;
}
