import { readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/*
 * The layout table in docs/architecture.md, enforced: each folder may import only the folders its row
 * names, and only the Node-only ones may import Node built-ins. Read from the source, not from a bundle,
 * so a type-only import breaks the rule too.
 */

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

type Area = "core" | "db" | "api" | "api/node" | "jobs" | "site" | "cli" | "templates";

/** Which of our folders each folder may import, and whether it may use Node built-ins. */
const RULES: Record<Exclude<Area, "templates">, { imports: Area[]; node: boolean }> = {
  db: { imports: [], node: false },
  core: { imports: ["db", "templates"], node: false },
  api: { imports: ["core", "db"], node: false },
  "api/node": { imports: ["api", "core", "db", "jobs", "templates"], node: true },
  jobs: { imports: ["api/node", "core", "db", "templates"], node: true },
  site: { imports: ["core", "db"], node: true },
  cli: { imports: ["api/node", "api", "core", "db", "jobs", "templates"], node: true },
};

const BUILTINS = new Set(builtinModules.filter((name) => !name.startsWith("_")));

function areaOf(path: string): Area | null {
  if (path.startsWith("api/node/")) return "api/node";
  if (path.startsWith("site/src/")) return "site";
  const top = path.split("/")[0];
  return top === "core" || top === "db" || top === "api" || top === "jobs" || top === "cli" || top === "templates"
    ? top
    : null;
}

function sourceFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(ts|mts|mjs|astro)$/.test(entry.name))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)))
    .sort();
}

/** The specifiers a file imports (static, dynamic, type-only and re-exports); for .astro, its script parts. */
function importsOf(file: string): string[] {
  let text = readFileSync(join(ROOT, file), "utf8");
  if (file.endsWith(".astro")) {
    const frontmatter = text.match(/^---\n([\s\S]*?)\n---/)?.[1] ?? "";
    const scripts = [...text.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? "");
    text = [frontmatter, ...scripts].join("\n");
  }
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

/** `outside`: a file of ours in no row of the table (build output, package.json); test/ and bench/ among them. */
type Edge = { file: string; imports: string; area: Area | "node" | "outside" };

function edges(): Edge[] {
  const files = ["core", "db", "api", "jobs", "site/src", "cli"].flatMap(sourceFiles);
  return files.flatMap((file) =>
    importsOf(file).flatMap((specifier): Edge[] => {
      if (specifier.startsWith("node:") || BUILTINS.has(specifier.split("/")[0] ?? "")) {
        return [{ file, imports: specifier, area: "node" }];
      }
      if (!specifier.startsWith(".")) return [];
      const target = relative(ROOT, join(dirname(join(ROOT, file)), specifier));
      const area = areaOf(target);
      return [{ file, imports: target, area: area ?? "outside" }];
    }),
  );
}

describe("the layering in docs/architecture.md", () => {
  const all = edges();

  it("reads the import graph of every source folder", () => {
    expect(all.filter((e) => e.file.startsWith("core/")).length).toBeGreaterThan(50);
    expect(all.some((e) => e.file.startsWith("site/src/"))).toBe(true);
  });

  for (const [area, rule] of Object.entries(RULES)) {
    const allowed = rule.imports.length ? `only ${rule.imports.map((a) => `${a}/`).join(", ")}` : "nothing of ours";
    it(`${area}/ imports ${allowed}${rule.node ? ", and Node built-ins" : ", and never a Node built-in"}`, () => {
      const broken = all.filter((e) => {
        if (areaOf(e.file) !== area || e.area === area) return false;
        if (e.area === "node") return !rule.node;
        if (e.area === "outside") return false;
        return !rule.imports.includes(e.area);
      });
      expect(broken.map((e) => `${e.file} imports ${e.imports}`)).toEqual([]);
    });
  }

  it("nothing imports test/, bench/ or scripts/", () => {
    const broken = all.filter((e) => /^(test|bench|scripts)\//.test(e.imports));
    expect(broken.map((e) => `${e.file} imports ${e.imports}`)).toEqual([]);
  });
});
