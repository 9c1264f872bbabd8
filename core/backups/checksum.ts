import type { Snapshot, TableRows } from "./snapshot.ts";

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
  const digests: Uint8Array[] = [];
  let chunk = `${JSON.stringify(table.columns)}\n`;
  const flush = async () => {
    digests.push(new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(chunk))));
    chunk = "";
  };
  for (const row of table.rows) {
    chunk += `${JSON.stringify(row)}\n`;
    if (chunk.length >= CHUNK_CHARS) await flush();
  }
  await flush();
  const all = new Uint8Array(digests.length * 32);
  digests.forEach((digest, i) => {
    all.set(digest, i * 32);
  });
  return `sha256:${hex(await crypto.subtle.digest("SHA-256", all))}`;
}

export async function snapshotChecksums(snapshot: Snapshot): Promise<TableChecksums> {
  const result: TableChecksums = {};
  for (const table of snapshot.tables) {
    result[table.name] = { rows: table.rows.length, checksum: await tableChecksum(table) };
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
