import Mustache from "mustache";
import bundle from "../../../templates/email/templates.json" with { type: "json" };
import type { NotificationKind } from "../events.ts";

/** The templates in templates/email/*.mustache, bundled by `npm run templates`. */
const TEMPLATES: Record<string, string> = bundle;

const HTML_PARTIALS = partials("html");
const TEXT_PARTIALS = partials("text");
const noEscape = { escape: (value: unknown) => String(value) };
const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
// Mustache's own escape also turns "/" and "=" into entities, which makes every link in the source unreadable.
const htmlEscape = { escape: (value: unknown) => String(value).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c) };

function partials(part: "html" | "text"): Record<string, string> {
  const suffix = `.${part}`;
  return Object.fromEntries(
    Object.entries(TEMPLATES)
      .filter(([name]) => name.endsWith(suffix))
      .map(([name, text]) => [name.slice(0, -suffix.length), text]),
  );
}

function template(name: string): string {
  const text = TEMPLATES[name];
  if (text === undefined) throw new Error(`templates/email has no ${name}.mustache`);
  return text;
}

/** The mail's HTML: the layout around the kind's partial, every value escaped but the stored body. */
export function renderHtml(kind: NotificationKind, view: object): string {
  return Mustache.render(
    template("layout.html"),
    view,
    { ...HTML_PARTIALS, content: template(`${kind}.html`) },
    htmlEscape,
  );
}

/** The text/plain part: the same view, nothing escaped (it is not markup). */
export function renderText(kind: NotificationKind, view: object): string {
  return Mustache.render(
    template("layout.text"),
    view,
    { ...TEXT_PARTIALS, content: template(`${kind}.text`) },
    noEscape,
  );
}
