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

const forMail = compile(OPTIONS);
// A chat client wraps lines itself: hard breaks at 78 columns would show as ragged lines there.
const forChat = compile({ ...OPTIONS, wordwrap: false });

/**
 * The text/plain version of stored safe HTML (an update's `body_html`, a postmortem): paragraphs apart,
 * list items on their own lines, links as "text (url)", tables as columns, wrapped at 78 for mail.
 */
export function mailText(html: string): string {
  return forMail(html).trim();
}

/** The same text unwrapped, for webhook and chat payloads. */
export function chatText(html: string): string {
  return forChat(html).trim();
}
