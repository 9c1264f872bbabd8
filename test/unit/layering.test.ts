import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { edgesOf, importCycles, layeringViolations, RULES, SOURCE_FILE, SOURCE_FOLDERS } from "./layering-rules.ts";

/*
 * The layout table in docs/architecture.md, enforced on every source file of every folder (.ts, .tsx,
 * .mts, .mjs, .astro): each folder imports only the folders its row names, only the Node-only ones
 * import Node, and no import cycle runs through our files.
 */

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Cycles known and being removed by another change, each to be deleted from this list once it is gone
 * (the test fails on an entry that no longer matches, so it cannot linger).
 */
function sourceFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && SOURCE_FILE.test(entry.name))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)).split(sep).join("/"))
    .filter((path) => !/^site\/(dist|node_modules|\.astro)\//.test(path))
    .sort();
}

const files = new Map(
  SOURCE_FOLDERS.flatMap(sourceFiles).map((file) => [file, readFileSync(join(ROOT, file), "utf8")]),
);
const all = edgesOf(files);

describe("the layering in docs/architecture.md", () => {
  it("reads the import graph of every source folder and every source extension", () => {
    expect(all.filter((e) => e.file.startsWith("core/")).length).toBeGreaterThan(50);
    for (const kind of [/^api\/.*\.tsx$/, /^server\//, /^site\/src\/.*\.astro$/, /^site\/.*\.mjs$/, /^cli\//])
      expect(all.some((e) => kind.test(e.file))).toBe(true);
  });

  for (const [area, rule] of Object.entries(RULES)) {
    const allowed = rule.imports.length
      ? `only ${rule.imports.map((a) => (a === "site-build" ? "site/dist/" : `${a}/`)).join(", ")}`
      : "nothing of ours";
    it(`${area}/ imports ${allowed}${rule.node ? ", and Node built-ins" : ", and never Node"}`, () => {
      expect(layeringViolations(all, area as keyof typeof RULES)).toEqual([]);
    });
  }

  it("nothing imports test/, bench/ or scripts/", () => {
    const broken = all.filter((e) => /^(test|bench|scripts)\//.test(e.imports));
    expect(broken.map((e) => `${e.file} imports ${e.imports}`)).toEqual([]);
  });

  it("no import cycle runs through our source files", () => {
    expect(importCycles(all, files.keys())).toEqual([]);
  });
});

describe("the layering checker", () => {
  it("reports a console screen importing Node and the job runner", () => {
    const made = new Map([
      [
        "api/console/screens/x.tsx",
        [
          'import { readFileSync } from "node:fs";',
          'import type { JobRunner } from "../../../jobs/runner.ts";',
          "export const X = (props: { runner: JobRunner }) => <p>{String(readFileSync)}{String(props.runner)}</p>;",
        ].join("\n"),
      ],
      ["jobs/runner.ts", "export type JobRunner = { wake(): void };"],
    ]);
    expect(layeringViolations(edgesOf(made), "api")).toEqual([
      "api/console/screens/x.tsx imports node:fs",
      "api/console/screens/x.tsx imports jobs/runner.ts",
    ]);
  });

  it("reports an import cycle with its path", () => {
    const made = new Map([
      ["core/a.ts", 'import { b } from "./b.ts"; export const a = b;'],
      ["core/b.ts", 'export { c as b } from "./c/index.ts";'],
      ["core/c/index.ts", 'export const c = await import("../a.ts");'],
    ]);
    expect(importCycles(edgesOf(made), made.keys())).toEqual([
      "core/a.ts -> core/b.ts -> core/c/index.ts -> core/a.ts",
    ]);
  });
});
