import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/*
 * Small modules with one job: a source file over 300 lines says why in its first lines ("over 300 lines
 * on purpose: …"), or it is split. Tests and generated files (migrations, built assets) are exempt.
 */

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const FOLDERS = ["api", "bench", "bin", "cli", "core", "db", "jobs", "scripts", "server", "site/src"];
const SOURCE = /\.(ts|tsx|mts|mjs|astro|css)$/;
const LIMIT = 300;

function sourceFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && SOURCE.test(entry.name))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)))
    .filter((file) => !file.startsWith("db/migrations/"));
}

describe("file size", () => {
  it(`no source file is over ${LIMIT} lines without a reason in its header`, () => {
    const unexplained = FOLDERS.flatMap(sourceFiles).flatMap((file) => {
      const lines = readFileSync(join(ROOT, file), "utf8").replace(/\n$/, "").split("\n");
      if (lines.length <= LIMIT) return [];
      const header = lines.slice(0, 5).join("\n");
      return /over 300 lines/i.test(header) ? [] : [`${file} (${lines.length} lines)`];
    });
    expect(unexplained).toEqual([]);
  });
});
