/**
 * A host a Content-Security-Policy source expression can name: letters, digits and hyphens in dot-separated
 * labels (CSP3 `host-char`), as the URL parser serializes it (lowercase, punycode, IPv4 dotted). Anything
 * else (`*`, `;`, `'`, a comma, an IPv6 literal) could widen or break the policy it is written into.
 */
const POLICY_HOST = /^[a-z0-9-]+(?:\.[a-z0-9-]+)*$/;

/** Why a logo or favicon URL's host cannot be named in the page's policy (so the image could never load), or null. */
export function imageHostProblem(url: URL): string | null {
  if (POLICY_HOST.test(url.hostname)) return null;
  return `the host "${url.hostname}" is not a domain name or IPv4 address (letters, digits, hyphens and dots only)`;
}

/**
 * The `img-src` source that lets the page show a logo or favicon from another host: the URL's origin as
 * the URL parser serializes it, never the text a user typed; null for a data: image (already allowed), a
 * scheme other than http(s), or a host a policy cannot name (a value stored before this rule held).
 */
export function imageSourceFor(raw: string | null): string | null {
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return null;
  if (url.username || url.password || imageHostProblem(url) !== null) return null;
  return url.origin;
}
