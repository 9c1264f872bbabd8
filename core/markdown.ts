import { Marked } from "marked";
import sanitizeHtml from "sanitize-html";

const marked = new Marked({ gfm: true, breaks: true, async: false });
// Raw HTML in update text is shown as text: without these tokenizers it passes through as markup.
marked.use({ tokenizer: { html: () => undefined, tag: () => undefined } });

const SANITIZE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "del",
    "s",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
  ],
  allowedAttributes: { a: ["href", "title", "rel"], ol: ["start"], th: ["align"], td: ["align"] },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesAppliedToAttributes: ["href"],
  allowProtocolRelative: false,
  disallowedTagsMode: "escape",
  transformTags: {
    a: sanitizeHtml.simpleTransform("a", { rel: "nofollow noopener noreferrer" }),
  },
};

/**
 * Markdown to safe HTML, done once on write: the stored result is what every channel shows.
 * Raw HTML in the source is escaped and shown as text, never trusted.
 */
export function renderMarkdown(markdown: string, options: { topHeading?: 3 | 4 } = {}): string {
  const html = marked.parse(markdown) as string;
  return normalizeHeadings(sanitizeHtml(html, SANITIZE_OPTIONS).trim(), options.topHeading ?? 4);
}

/**
 * Text sits under the page's own headings (an update under its h3 status, a postmortem under an h2): the
 * highest heading a text uses becomes `top` and the others keep their distance (capped at h6), so no
 * level is skipped.
 */
function normalizeHeadings(html: string, top: number): string {
  const levels = [...html.matchAll(/<h([1-6])[\s>]/g)].map((m) => Number(m[1]));
  if (levels.length === 0) return html;
  const shift = top - Math.min(...levels);
  return html.replace(/<(\/?)h([1-6])([\s>])/g, (_, slash: string, level: string, after: string) => {
    return `<${slash}h${Math.min(6, Number(level) + shift)}${after}`;
  });
}

/** Plain text of stored safe HTML, for feeds' summaries and mail text parts. */
export function htmlToText(html: string): string {
  return sanitizeHtml(html.replace(/<\/(p|li|h\d|blockquote|pre|tr)>/g, "$&\n").replace(/<br\s*\/?>/g, "\n"), {
    allowedTags: [],
    allowedAttributes: {},
  })
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
