/**
 * Template values (incident and component names, update text, the page's name) put into chat markup:
 * escaped there so that no value can add a link, a mention or emphasis. Where a format has a plain-text
 * field (Slack's `plain_text`, Teams' `TextRun`), values go there instead and need no escaping.
 */

const ZERO_WIDTH_SPACE = "\u200b";

/**
 * Slack mrkdwn: `&`, `<` and `>` become entities (so `<https://x|click>`, `<!channel>` and `<@U1>` stay
 * text); mrkdwn has no escape character for `*`, `_`, `~` and `` ` ``, so a zero-width space on each side
 * keeps them from opening or closing emphasis or code.
 */
export function slackMrkdwnText(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/[*_~`]/g, (marker) => `${ZERO_WIDTH_SPACE}${marker}${ZERO_WIDTH_SPACE}`);
}

/** A URL of ours inside Slack's `<url|label>`: the characters that would end or split it are percent-encoded. */
export function slackLinkUrl(url: string): string {
  return url.replace(/[<>|&\s]/g, (c) => encodeURIComponent(c));
}

/**
 * Discord markdown: every character that can start emphasis, code, spoilers, quotes, headings, lists,
 * masked links (`[x](url)`), angle-bracket links, mentions or timestamps (`<@1>`, `<t:1>`) gets a
 * backslash; `\:` keeps a bare `https://…` from becoming a link. Mentions are also switched off by the
 * message's `allowed_mentions`.
 */
export function discordMarkdownText(text: string): string {
  return text.replace(/[\\*_~`|<>[\]()#:-]/g, "\\$&");
}
