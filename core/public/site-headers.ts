/**
 * The one header policy of the public site: the content type, caching, CORS and security headers every
 * rendered file gets. The Node server sends them (server/static-site.ts), the object-storage publisher
 * stores the per-object ones (jobs/publish/), and `_headers` (Cloudflare Pages, Netlify) is written from
 * them, so a page served by any of the three is cached and shared the same way. Runtime-neutral.
 */

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".rss": "application/rss+xml; charset=utf-8",
  ".atom": "application/atom+xml; charset=utf-8",
  ".xml": "application/xml; charset=utf-8",
  ".ics": "text/calendar; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".woff2": "font/woff2",
};

/** Astro's hashed build assets: their names change with their bytes, so they are cached for good. */
const IMMUTABLE_PREFIX = "_astro/";
export const IMMUTABLE_CACHE = "public, max-age=31536000, immutable";
/** Everything else is revalidated on every read: a status page must never show a stale status. */
export const REVALIDATE_CACHE = "public, max-age=0, must-revalidate";

/** Used when a release's pages carry no policy of their own (they always should). */
export const FALLBACK_PAGE_POLICY = "default-src 'self'; object-src 'none'; base-uri 'none'";
const NON_PAGE_POLICY = "default-src 'none'";
const PERMISSIONS_POLICY =
  "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=(), display-capture=()";

/** The file a static host reads its header rules from (Cloudflare Pages, Netlify); never served itself. */
export const HEADERS_FILE = "_headers";

export type Headers = Record<string, string>;

function extensionOf(file: string): string {
  const name = file.slice(file.lastIndexOf("/") + 1);
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot) : "";
}

/** `file` is relative to the release (`api/v2/summary.json`, `incidents/abc/index.html`). */
export function contentTypeOf(file: string): string {
  return TYPES[extensionOf(file)] ?? "application/octet-stream";
}

export function cacheControlOf(file: string): string {
  return file.startsWith(IMMUTABLE_PREFIX) ? IMMUTABLE_CACHE : REVALIDATE_CACHE;
}

/** The v2 JSON is read by other sites' widgets: any origin may read it. */
export function isCrossOrigin(file: string): boolean {
  return extensionOf(file) === ".json";
}

/** `frame-ancestors` from HERALD_FRAME_ANCESTORS: who may frame the pages; nobody by default. */
export function frameAncestorsDirective(frameAncestors: readonly string[] = []): string {
  return `frame-ancestors ${frameAncestors.join(" ") || "'none'"}`;
}

/** Headers every answer of the site carries, a page or not (errors and redirects too). */
export function securityHeaders(frameAncestors: readonly string[] = []): Headers {
  return {
    "Content-Security-Policy": `${NON_PAGE_POLICY}; ${frameAncestorsDirective(frameAncestors)}`,
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Content-Type-Options": "nosniff",
    "Permissions-Policy": PERMISSIONS_POLICY,
  };
}

/** Changes whenever what `objectHeaders` answers may change: a store holding another must be rewritten. */
export const OBJECT_HEADERS_VERSION = JSON.stringify([IMMUTABLE_PREFIX, IMMUTABLE_CACHE, REVALIDATE_CACHE, TYPES]);

/** The headers an object store keeps with each object (it sets no others per object). */
export function objectHeaders(file: string): { contentType: string; cacheControl: string } {
  return { contentType: contentTypeOf(file), cacheControl: cacheControlOf(file) };
}

/**
 * Every header a rendered file is served with. `pagePolicy` is the release's page policy (its pages'
 * `<meta>` CSP, see `policyOf`), sent as a header so that `frame-ancestors`, which a `<meta>` cannot carry, holds.
 */
export function siteFileHeaders(
  file: string,
  options: { pagePolicy: string; frameAncestors?: readonly string[] | undefined },
): Headers {
  const isPage = extensionOf(file) === ".html";
  const headers: Headers = {
    "Content-Type": contentTypeOf(file),
    "Cache-Control": cacheControlOf(file),
    ...securityHeaders(options.frameAncestors),
  };
  if (isPage)
    headers["Content-Security-Policy"] = `${options.pagePolicy}; ${frameAncestorsDirective(options.frameAncestors)}`;
  if (isCrossOrigin(file)) headers["Access-Control-Allow-Origin"] = "*";
  return headers;
}

/**
 * The `_headers` file for Cloudflare Pages and Netlify. Both apply every matching rule and join the
 * values of a header set by two rules, so each header is set by rules that never overlap: the security
 * headers on `/*`, the one cache policy that differs from both hosts' default (`REVALIDATE_CACHE`) on
 * the hashed assets, CORS and the JSON type on the v2 documents. The page policy covers every file here
 * (a host cannot tell pages apart by pattern); it is as strict as the non-page one for what it allows.
 */
export function headersFile(options: { pagePolicy: string; frameAncestors?: readonly string[] | undefined }): string {
  const security = securityHeaders(options.frameAncestors);
  security["Content-Security-Policy"] = `${options.pagePolicy}; ${frameAncestorsDirective(options.frameAncestors)}`;
  const rules: [string, Headers][] = [
    ["/*", security],
    [`/${IMMUTABLE_PREFIX}*`, { "Cache-Control": IMMUTABLE_CACHE }],
    ["/api/v2/*", { "Access-Control-Allow-Origin": "*", "Content-Type": TYPES[".json"] ?? "application/json" }],
  ];
  const blocks = rules.map(
    ([pattern, headers]) =>
      `${pattern}\n${Object.entries(headers)
        .map(([name, value]) => `  ${name}: ${value}`)
        .join("\n")}`,
  );
  return `# Written by Herald with every release (core/public/site-headers.ts); edits are replaced.\n${blocks.join("\n\n")}\n`;
}

/** The policy a page carries in its `<meta http-equiv="Content-Security-Policy">`, unescaped. */
export function policyOf(html: Uint8Array): string | null {
  const head = new TextDecoder().decode(html.subarray(0, Math.min(html.byteLength, 8192)));
  const content = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i.exec(head)?.[1];
  if (!content) return null;
  return content.replace(/&(#39|#x27|quot|amp|lt|gt);/g, (_, name: string) =>
    name === "quot" ? '"' : name === "amp" ? "&" : name === "lt" ? "<" : name === "gt" ? ">" : "'",
  );
}
