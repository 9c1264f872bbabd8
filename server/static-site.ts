/**
 * Serves the rendered site on Node, below Hono: straight from the release folder (or memory, for the
 * most-read files), precompressed, with validators and the page's security policy as HTTP headers.
 */
import { realpath, stat } from "node:fs/promises";
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import { extname, join, sep } from "node:path";
import { isSubscribeApiPath, paths, V2_DOCUMENTS } from "../core/public/paths.ts";
import {
  FALLBACK_PAGE_POLICY,
  HEADERS_FILE,
  policyOf,
  securityHeaders,
  siteFileHeaders,
} from "../core/public/site-headers.ts";
import { type FileEncoding, readRepresentation } from "./site-files.ts";

/** The files kept in memory: what every reader, widget and feed reader asks for. */
const HOT_FILES: ReadonlySet<string> = new Set([
  "index.html",
  "history.rss",
  "history.atom",
  "404.html",
  // Every v2 document, as its file in the release (its path without the leading slash).
  ...V2_DOCUMENTS.map((name) => paths.v2(name).slice(1)),
]);

export const ALLOWED_METHODS = "GET, HEAD";

export type Encoding = FileEncoding;

export type SiteServerOptions = {
  /** The live site: a symlink to the current release, switched atomically by a full render. */
  siteDir: string;
  /** Who may frame the pages (CSP `frame-ancestors` sources); none by default. */
  frameAncestors?: readonly string[];
};

export type SiteServer = {
  /** Answers the request if it is the site's; false to let the API answer it (`/api/*` but rendered v2). */
  serve(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** A render replaced or removed `file` (relative to the release, e.g. `api/v2/summary.json`). */
  fileChanged(file: string): void;
  /** A full render switched the live site to a new release: nothing in memory is current. */
  releaseSwitched(): void;
};

type Variant = { bytes: Uint8Array; etag: string; headers: OutgoingHttpHeaders };
type Representation = { variants: Partial<Record<Encoding, Variant>> };

export function createSiteServer(options: SiteServerOptions): SiteServer {
  const { siteDir } = options;
  const security = securityHeaders(options.frameAncestors);
  const hot = new Map<string, Representation>();
  /** Bumped by every change: a read that began before one must not fill the memory cache. */
  let generation = 0;
  /** Each release's page policy, read from its index page (all pages share the layout). */
  const pagePolicies = new Map<string, string>();

  function baseHeaders(file: string, pagePolicy: string): OutgoingHttpHeaders {
    return siteFileHeaders(file, { pagePolicy, frameAncestors: options.frameAncestors });
  }

  async function pagePolicy(root: string): Promise<string> {
    const known = pagePolicies.get(root);
    if (known) return known;
    const index = await readRepresentation(root, "index.html", ["identity"]).catch(() => null);
    const policy = (index?.identity && policyOf(index.identity.bytes)) || FALLBACK_PAGE_POLICY;
    if (index?.identity) pagePolicies.set(root, policy);
    return policy;
  }

  /** Reads a file's representations (only `wanted`, unless it is kept in memory, which reads all). */
  async function load(root: string, file: string, wanted: Encoding[]): Promise<Representation | null> {
    const keep = HOT_FILES.has(file);
    const started = generation;
    const read = await readRepresentation(root, file, keep ? ["br", "gzip", "identity"] : wanted);
    if (!read) return null;
    const headers = baseHeaders(file, extname(file) === ".html" ? await pagePolicy(root) : "");
    const compressible = read.compressible;
    const representation: Representation = { variants: {} };
    for (const encoding of ["br", "gzip", "identity"] as const) {
      const found = read[encoding];
      if (!found) continue;
      const variantHeaders: OutgoingHttpHeaders = {
        ...headers,
        "Content-Length": String(found.bytes.byteLength),
        ETag: found.etag,
      };
      if (encoding !== "identity") variantHeaders["Content-Encoding"] = encoding;
      if (compressible) variantHeaders.Vary = "Accept-Encoding";
      representation.variants[encoding] = { bytes: found.bytes, etag: found.etag, headers: variantHeaders };
    }
    if (keep && started === generation) hot.set(file, representation);
    return representation;
  }

  async function serveFile(
    req: IncomingMessage,
    res: ServerResponse,
    root: string | null,
    file: string,
    status: number,
  ): Promise<boolean> {
    const accepted = acceptedEncodings(req.headers["accept-encoding"]);
    let representation = hot.get(file);
    if (!representation) {
      root ??= await liveRoot();
      if (!root) return false;
      const found = await load(root, file, accepted);
      if (!found) return false;
      representation = found;
    }
    const encoding = accepted.find((e) => representation.variants[e]) ?? "identity";
    const variant = representation.variants[encoding] ?? representation.variants.identity;
    if (!variant) return false;
    if (status === 200 && matchesEtag(req.headers["if-none-match"], variant.etag)) {
      const { "Content-Length": _length, "Content-Encoding": _encoding, ...headers } = variant.headers;
      res.writeHead(304, headers);
      res.end();
      return true;
    }
    res.writeHead(status, variant.headers);
    res.end(req.method === "HEAD" ? undefined : variant.bytes);
    return true;
  }

  async function liveRoot(): Promise<string | null> {
    return realpath(siteDir).catch(() => null);
  }

  async function notFound(req: IncomingMessage, res: ServerResponse, root: string | null): Promise<true> {
    if (!(await serveFile(req, res, root, "404.html", 404))) {
      res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8", ...security });
      res.end("Not found");
    }
    return true;
  }

  return {
    async serve(req, res) {
      const url = req.url ?? "/";
      const rawPath = url.split("?", 1)[0] ?? "/";
      const isDocument = rawPath.startsWith("/api/v2/");
      if ((rawPath.startsWith("/api/") && !isDocument) || rawPath === "/healthz") return false;
      if (isSubscribeApiPath(rawPath)) return false;
      if (rawPath === "/admin" || rawPath.startsWith("/admin/")) return false; // the console
      const method = req.method ?? "GET";
      if (method !== "GET" && method !== "HEAD") {
        if (isDocument) return false; // CORS preflights and the API's own answers
        res.writeHead(405, { Allow: ALLOWED_METHODS, "Content-Length": "0", ...security });
        res.end();
        return true;
      }
      let path: string;
      try {
        path = decodeURIComponent(rawPath);
      } catch {
        res.writeHead(400, { "Content-Type": "text/plain; charset=utf-8", ...security });
        res.end("Bad request");
        return true;
      }
      // Hidden files (temp files, marks) and the static hosts' `_headers` are never the site's pages.
      if (
        path.includes("\0") ||
        path.includes("\\") ||
        path === `/${HEADERS_FILE}` ||
        path.split("/").some((part) => part.startsWith("."))
      ) {
        return isDocument ? false : notFound(req, res, null);
      }
      const file = path.endsWith("/") ? `${path.slice(1)}index.html` : path.slice(1);
      if (hot.has(file)) return serveFile(req, res, null, file, 200);

      const root = await liveRoot();
      if (!root) {
        if (isDocument) return false; // before the first render, the API answers live
        res.writeHead(503, { "Content-Type": "text/plain; charset=utf-8", "Retry-After": "1" });
        res.end("The status page is being rendered; try again in a moment.");
        return true;
      }
      const target = join(root, file);
      const info = await stat(target).catch(() => null);
      if (info?.isDirectory() && !path.endsWith("/")) {
        if (isDocument) return false;
        res.writeHead(301, { Location: `${rawPath}/`, "Content-Length": "0", ...security });
        res.end();
        return true;
      }
      const resolved = info?.isFile() ? await realpath(target).catch(() => null) : null;
      // A symlink (or anything else) leading out of the release is not the site's to serve.
      if (!resolved?.startsWith(root + sep)) return isDocument ? false : notFound(req, res, root);
      if (await serveFile(req, res, root, file, 200)) return true;
      return isDocument ? false : notFound(req, res, root);
    },
    fileChanged(file) {
      generation += 1;
      hot.delete(file);
    },
    releaseSwitched() {
      generation += 1;
      hot.clear();
      pagePolicies.clear();
    },
  };
}

const acceptCache = new Map<string, Encoding[]>();

/**
 * The encodings a client takes, best first (`br` before `gzip` at equal weight), honouring q-values;
 * `identity` is always last unless refused.
 */
export function acceptedEncodings(header: string | undefined): Encoding[] {
  if (!header) return ["identity"];
  const cached = acceptCache.get(header);
  if (cached) return cached;
  const weights = new Map<string, number>();
  for (const part of header.split(",")) {
    const [name = "", ...params] = part.trim().toLowerCase().split(";");
    if (!name) continue;
    let q = 1;
    for (const param of params) {
      const [key, value] = param.trim().split("=");
      if (key === "q" && value !== undefined) q = Number.isFinite(Number(value)) ? Number(value) : 0;
    }
    weights.set(name.trim(), q);
  }
  const weight = (name: Encoding) => weights.get(name) ?? (name === "identity" ? 0.001 : (weights.get("*") ?? 0));
  const ranked = (["br", "gzip"] as const).filter((name) => weight(name) > 0).sort((a, b) => weight(b) - weight(a));
  const result: Encoding[] = [...ranked, "identity"];
  if (acceptCache.size > 256) acceptCache.clear();
  acceptCache.set(header, result);
  return result;
}

/** `If-None-Match` uses the weak comparison: `W/"x"` matches `"x"`. */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === "*") return true;
  return header.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag);
}
