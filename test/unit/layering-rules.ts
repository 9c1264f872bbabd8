/*
 * The layout table in docs/architecture.md as a checker over a set of files and their text, so the rules
 * can be tried on a made-up file set as well as on the repository (layering.test.ts). Read from the
 * source, not from a bundle, so a type-only import breaks a rule too.
 */
import { builtinModules } from "node:module";
import { posix } from "node:path";
import ts from "typescript";

/** Our folders; `site-build` is the Astro build output (site/dist), loaded by the renderer at run time. */
export type Area = "db" | "core" | "api" | "jobs" | "server" | "cli" | "site" | "templates" | "site-build";
type CheckedArea = Exclude<Area, "templates" | "site-build">;

/** Which of our folders each folder may import, and whether it may use Node built-ins: transports -> core -> db. */
export const RULES: Record<CheckedArea, { imports: Area[]; node: boolean }> = {
  db: { imports: [], node: false },
  core: { imports: ["db", "templates"], node: false },
  api: { imports: ["core", "db", "templates"], node: false },
  jobs: { imports: ["core", "db", "templates"], node: true },
  server: { imports: ["api", "jobs", "core", "db", "templates", "site-build"], node: true },
  cli: { imports: ["server", "api", "jobs", "core", "db"], node: true },
  site: { imports: ["core", "db"], node: true },
};

/** Every folder holding our source, and every extension it is written in. */
export const SOURCE_FOLDERS = ["db", "core", "api", "jobs", "server", "cli", "site", "templates"];
export const SOURCE_FILE = /\.(ts|tsx|mts|mjs|astro)$/;

/**
 * Packages that only run on Node: importing one is importing Node. (Not nodemailer: core names its
 * message type, a type-only import that costs workerd nothing.)
 */
const NODE_PACKAGES = ["@hono/node-server", "drizzle-orm/libsql/migrator"];
const BUILTINS = new Set(builtinModules.filter((name) => !name.startsWith("_")));

export function areaOf(path: string): Area | null {
  if (path.startsWith("site/dist/")) return "site-build";
  const top = path.split("/")[0] ?? "";
  return (SOURCE_FOLDERS as readonly string[]).includes(top) ? (top as Area) : null;
}

function isNode(specifier: string): boolean {
  return (
    specifier.startsWith("node:") ||
    BUILTINS.has(specifier.split("/")[0] ?? "") ||
    NODE_PACKAGES.some((name) => specifier === name || specifier.startsWith(`${name}/`))
  );
}

/** The specifiers a file imports: static, dynamic, type-only, `import("x").T` and re-exports; for .astro, its script parts. */
export function importsOf(file: string, text: string): string[] {
  let source = text;
  if (file.endsWith(".astro")) {
    const frontmatter = text.match(/^---\r?\n([\s\S]*?)\r?\n---/)?.[1] ?? "";
    const scripts = [...text.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? "");
    source = [frontmatter, ...scripts].join("\n");
  }
  const kind = file.endsWith(".tsx") ? ts.ScriptKind.TSX : file.endsWith(".mjs") ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const tree = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, false, kind);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      if (ts.isStringLiteral(node.moduleSpecifier)) found.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [first] = node.arguments;
      if (first && ts.isStringLiteralLike(first)) found.push(first.text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      if (ts.isStringLiteral(node.argument.literal)) found.push(node.argument.literal.text);
    } else if (ts.isExternalModuleReference(node) && ts.isStringLiteral(node.expression)) {
      found.push(node.expression.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(tree);
  return found;
}

/** `outside`: a file of ours in no row of the table (test/, bench/, scripts/, package.json). */
export type Edge = { file: string; imports: string; area: Area | "node" | "outside" };

const EXTENSIONS = ["", ".ts", ".tsx", ".mts", ".mjs", "/index.ts", "/index.mjs"];

/** Every import of every file; a relative one as the repository path it names (the file itself when it is in the set). */
export function edgesOf(files: ReadonlyMap<string, string>): Edge[] {
  return [...files].flatMap(([file, text]) =>
    importsOf(file, text).flatMap((specifier): Edge[] => {
      if (isNode(specifier)) return [{ file, imports: specifier, area: "node" }];
      if (!specifier.startsWith(".")) return [];
      const path = posix.normalize(posix.join(posix.dirname(file), specifier));
      const target = EXTENSIONS.map((ext) => path + ext).find((candidate) => files.has(candidate)) ?? path;
      return [{ file, imports: target, area: areaOf(target) ?? "outside" }];
    }),
  );
}

/** Each import that breaks its folder's row, as "file imports target". */
export function layeringViolations(edges: readonly Edge[], area: CheckedArea): string[] {
  const rule = RULES[area];
  return edges
    .filter((e) => {
      if (areaOf(e.file) !== area || e.area === area || e.area === "outside") return false;
      if (e.area === "node") return !rule.node;
      return !rule.imports.includes(e.area);
    })
    .map((e) => `${e.file} imports ${e.imports}`);
}

/**
 * The import cycles among the files of the set, each as "a -> b -> a", starting at its smallest file so
 * the same cycle always reads the same. A depth-first search reports one cycle per edge closing back on
 * the path; that finds at least one cycle wherever there is any.
 */
export function importCycles(edges: readonly Edge[], files: Iterable<string>): string[] {
  const known = new Set(files);
  const next = new Map<string, string[]>();
  for (const e of edges) {
    if (!known.has(e.imports) || e.imports === e.file) continue;
    next.set(e.file, [...(next.get(e.file) ?? []), e.imports]);
  }
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const cycles = new Set<string>();
  const visit = (file: string): void => {
    state.set(file, "open");
    path.push(file);
    for (const target of [...new Set(next.get(file) ?? [])].sort()) {
      const seen = state.get(target);
      if (seen === "open") cycles.add(readCycle(path.slice(path.indexOf(target))));
      else if (seen === undefined) visit(target);
    }
    path.pop();
    state.set(file, "done");
  };
  for (const file of [...known].sort()) if (!state.has(file)) visit(file);
  return [...cycles].sort();
}

function readCycle(members: string[]): string {
  const smallest = members.indexOf([...members].sort()[0] ?? "");
  const rotated = [...members.slice(smallest), ...members.slice(0, smallest)];
  return [...rotated, rotated[0]].join(" -> ");
}
