import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/*
 * The README stays a short front door (at most 12 KB) whose docs index reaches every page in docs/, and
 * no relative link in the README or docs/ points at a file or a heading that is not there.
 */

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const README = join(ROOT, "README.md");
const DOCS = join(ROOT, "docs");
const MAX_README_BYTES = 12 * 1024;

const docPages = readdirSync(DOCS)
  .filter((name) => name.endsWith(".md"))
  .map((name) => join(DOCS, name));

/** The Markdown without fenced code blocks, whose `#` lines are not headings and whose brackets are not links. */
function prose(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "");
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const match of prose(markdown).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = (match[1] ?? "")
      .replace(/<[^>]+>/g, "")
      .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/** Every link target outside code: `[text](target)`, with an optional title dropped. */
function linkTargets(markdown: string): string[] {
  const text = prose(markdown).replace(/`[^`\n]*`/g, "");
  return [...text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1] ?? "");
}

const isExternal = (target: string) => /^[a-z][a-z0-9+.-]*:/i.test(target);

function brokenLinks(file: string): string[] {
  const markdown = readFileSync(file, "utf8");
  const broken: string[] = [];
  for (const target of linkTargets(markdown)) {
    if (isExternal(target)) continue;
    const [path = "", anchor] = target.split("#", 2);
    const destination = path === "" ? file : resolve(dirname(file), decodeURI(path));
    if (!existsSync(destination)) {
      broken.push(`${target}: no such file`);
      continue;
    }
    if (anchor === undefined || anchor === "") continue;
    if (statSync(destination).isDirectory() || !destination.endsWith(".md")) {
      broken.push(`${target}: an anchor into something that is not a Markdown page`);
      continue;
    }
    if (!headingAnchors(readFileSync(destination, "utf8")).has(decodeURIComponent(anchor)))
      broken.push(`${target}: no heading with that anchor in ${relative(ROOT, destination)}`);
  }
  return broken;
}

describe("the README and docs/", () => {
  it("the README is at most 12 KB", () => {
    expect(statSync(README).size).toBeLessThanOrEqual(MAX_README_BYTES);
  });

  it("the README links every page in docs/", () => {
    const linked = new Set(
      linkTargets(readFileSync(README, "utf8"))
        .filter((target) => !isExternal(target))
        .map((target) => resolve(ROOT, target.split("#")[0] ?? "")),
    );
    expect(docPages.length).toBeGreaterThan(0);
    expect(docPages.filter((page) => !linked.has(page)).map((page) => relative(ROOT, page))).toEqual([]);
  });

  for (const file of [README, ...docPages]) {
    it(`every relative link in ${relative(ROOT, file)} reaches a file and, with #, a heading`, () => {
      expect(brokenLinks(file)).toEqual([]);
    });
  }

  it("anchors are made as GitHub makes them", () => {
    const anchors = headingAnchors(
      "# Writing: one action, one batch\n## Deterministic pages, checked against a plain `astro build`\n" +
        "```sh\n# not a heading\n```\n## Notes\n## Notes\n",
    );
    expect([...anchors]).toEqual([
      "writing-one-action-one-batch",
      "deterministic-pages-checked-against-a-plain-astro-build",
      "notes",
      "notes-1",
    ]);
  });
});
