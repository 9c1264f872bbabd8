import Bowser from "bowser";

/** Longest User-Agent kept: enough for every real browser's, short enough that a hostile one costs nothing. */
const MAX_USER_AGENT = 300;

/**
 * The User-Agent header as a session keeps it: printable ASCII only (RFC 9110 allows nothing else that a
 * browser sends; anything else is dropped, never shown), cut short; null when nothing is left.
 */
export function keptUserAgent(header: string | null | undefined): string | null {
  const cleaned = (header ?? "")
    .replace(/[^\x20-\x7e]/g, "")
    .trim()
    .slice(0, MAX_USER_AGENT);
  return cleaned === "" ? null : cleaned;
}

/** "Chrome 131 on Linux" for a kept User-Agent, or null when it names no browser we know. */
export function describeUserAgent(userAgent: string | null): string | null {
  if (!userAgent) return null;
  const { browser, os } = Bowser.parse(userAgent);
  if (!browser.name) return null;
  const major = browser.version?.split(".")[0];
  const name = major ? `${browser.name} ${major}` : browser.name;
  return os.name ? `${name} on ${os.name}` : name;
}
