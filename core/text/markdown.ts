import { Marked, type Token, type Tokens } from "marked";
import sanitizeHtml from "sanitize-html";

const marked = new Marked({ gfm: true, breaks: true, async: false });
// Raw HTML in update text is shown as text: without these tokenizers it passes through as markup.
marked.use({ tokenizer: { html: () => undefined, tag: () => undefined } });
// Pages, feeds and mail show no remote images: an image becomes a link to it named by its alt text (or
// just that text when its address is not http/https); inside a link it is only its alt text.
marked.use({
  walkTokens(token) {
    if (token.type === "link") imagesToText((token as Tokens.Link).tokens);
  },
  renderer: {
    image({ href, title, text: alt, tokens }: Tokens.Image) {
      const text = tokens ? this.parser.parseInline(tokens, this.parser.textRenderer) : alt;
      const url = webAddress(href);
      if (url === null) return escapeHtml(text);
      const titleAttribute = title ? ` title="${escapeHtml(title)}"` : "";
      return `<a href="${escapeHtml(url)}"${titleAttribute}>${escapeHtml(text || url)}</a>`;
    },
  },
});

function imagesToText(tokens: Token[]): void {
  tokens.forEach((token, index) => {
    if (token.type === "image") tokens[index] = { type: "text", raw: token.raw, text: (token as Tokens.Image).text };
    else if ("tokens" in token && token.tokens) imagesToText(token.tokens);
  });
}

/** An http(s) address, percent-encoded as marked encodes a link's; null for anything else. */
function webAddress(href: string): string | null {
  if (!/^https?:\/\//i.test(href.trim())) return null;
  try {
    return encodeURI(href.trim()).replace(/%25/g, "%");
  } catch {
    return null;
  }
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

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
  const safe = sanitizeHtml(html, SANITIZE_OPTIONS).replace(/<p>\s*<\/p>\n?/g, "");
  return normalizeHeadings(safe.trim(), options.topHeading ?? 4);
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
