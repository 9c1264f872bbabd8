import { compile, type HtmlToTextOptions } from "html-to-text";

const OPTIONS: HtmlToTextOptions = {
  wordwrap: 78,
  selectors: [
    { selector: "a", options: { linkBrackets: ["(", ")"], hideLinkHrefIfSameAsText: true } },
    { selector: "ul", options: { itemPrefix: "- " } },
    ...(["h1", "h2", "h3", "h4", "h5", "h6"] as const).map((selector) => ({ selector, options: { uppercase: false } })),
    { selector: "table", format: "dataTable", options: { uppercaseHeaderCells: false } },
    { selector: "img", format: "skip" },
  ],
};

/**
 * The text/plain version of stored safe HTML (an update's `body_html`, a postmortem): paragraphs apart,
 * list items on their own lines, links as "text (url)", tables as columns.
 */
const convert = compile(OPTIONS);

export function mailText(html: string): string {
  return convert(html).trim();
}
