/**
 * The plain text of an update's stored (sanitized) HTML, for chat messages. Interim: helper "mail"
 * writes the HTML → text function of record in core/notifications/email/; once it is on main this file
 * goes and the payloads import that one. The input is our own sanitizer's output, so a small converter
 * suffices: block ends become line breaks, list items get a dash, links keep their address.
 */
export function htmlToPlainText(html: string): string {
  const text = html
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/li>\s*/gi, "")
    .replace(/<li[^>]*>/gi, "\n- ")
    .replace(/<a\s[^>]*href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi, (_, href: string, inner: string) => {
      const label = inner.replace(/<[^>]*>/g, "");
      return decodeEntities(label) === decodeEntities(href) ? label : `${label} (${href})`;
    })
    .replace(/<\/(p|div|h[1-6]|ul|ol|blockquote|pre|table|tr)>/gi, "\n\n")
    .replace(/<[^>]*>/g, "");
  return withoutControlCharacters(decodeEntities(text))
    .split("\n")
    .map((line) => line.trimEnd())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === "#") {
      const code = name[1] === "x" || name[1] === "X" ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : "";
    }
    return NAMED[name.toLowerCase()] ?? whole;
  });
}

/** Drops C0/C1 controls except line feed (a chat message never needs them; CR and tab become plain). */
export function withoutControlCharacters(text: string): string {
  return (
    text
      .replace(/\r\n?/g, "\n")
      .replace(/\t/g, " ")
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
      .replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, "")
  );
}
