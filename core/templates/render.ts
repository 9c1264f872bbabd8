import Mustache from "mustache";
import { invalid } from "../actions/errors.ts";

/** Values every template can use, filled in by Herald (core/templates/built-ins.ts). */
export const BUILT_INS = [
  "page_name",
  "components",
  "incident_name",
  "next_update_at",
  "starts_at",
  "ends_at",
] as const;
export type BuiltIn = (typeof BUILT_INS)[number];

/** Text a template's author wrote (the wording of a choice): inserted as Markdown, never escaped. */
export class AuthoredText {
  constructor(readonly text: string) {}
}

export type TemplateValues = Record<string, string | AuthoredText>;

/**
 * The names a piece of template text uses. Logic-less and never executable: text, `{{name}}` and
 * `{{! comments }}` only; a section, partial, unescaped value or delimiter change is refused (422 naming
 * `field`), as is text Mustache cannot parse.
 */
export function namesUsed(text: string, field: string): string[] {
  let tokens: unknown[][];
  try {
    tokens = uncachedWriter().parse(text) as unknown[][];
  } catch (error) {
    throw invalid(`${field} is not a valid template: ${(error as Error).message}`, [
      { path: field, message: (error as Error).message },
    ]);
  }
  const names: string[] = [];
  for (const [type, value] of tokens) {
    if (type === "text" || type === "!") continue;
    if (type === "name" && typeof value === "string" && /^[a-z][a-z0-9_]*$/.test(value)) {
      names.push(value);
      continue;
    }
    const tag = type === "name" || type === "&" ? `{{${type === "&" ? "&" : ""}${String(value)}}}` : `{{${type}…}}`;
    throw invalid(`${field} uses ${tag}: a template takes only {{variable}}, so it can never run anything.`, [
      { path: field, message: `only {{variable}} is allowed, not ${tag}` },
    ]);
  }
  return [...new Set(names)];
}

/**
 * Fills in a template's text. `markdown`: each value is escaped so it shows as the literal text it is
 * (it can never add a link, an image, emphasis or HTML); `plain` (a title, which is not Markdown): as is.
 * A choice's wording (`AuthoredText`) is the template's own Markdown and goes in unchanged.
 */
export function fillIn(text: string, values: TemplateValues, mode: "markdown" | "plain"): string {
  const insert = (value: unknown) =>
    value instanceof AuthoredText ? value.text : mode === "markdown" ? escapeMarkdown(String(value)) : String(value);
  return uncachedWriter().render(text, values, {}, { escape: insert });
}

/**
 * Mustache's global writer keeps every text it parses, forever: user-written texts (drafts, refused
 * templates) would grow the heap without bound. A writer per call is dropped with its parse.
 */
function uncachedWriter(): Mustache.Writer {
  return new Mustache.Writer();
}

// Everywhere in a line: code, emphasis, strike-through, links and images, autolinks and HTML, entities,
// table cells, e-mail autolinks.
const INLINE = /[\\`*_~[\]<>&|@]/g;

/**
 * A one-line value as Markdown that renders as exactly that text. Besides the characters that mark up
 * anywhere, a value may stand at the start of a line (`{{a}}` alone), where `#`, `>`, `-`, `+`, `=` and
 * `1.` start a block; and GFM turns bare `http://…` and `www.…` into links.
 */
export function escapeMarkdown(value: string): string {
  return value
    .replace(/^\s+/, "") // four spaces at the start of a line begin a code block
    .replace(INLINE, "\\$&")
    .replace(/\b(https?|ftp|mailto):/gi, "$1\\:")
    .replace(/\b(www)\./gi, "$1\\.")
    .replace(/^[#+\-=]/, "\\$&")
    .replace(/^(\d+)([.)])/, "$1\\$2");
}
