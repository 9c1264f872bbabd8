import { createReadStream } from "node:fs";
import { realpath, stat } from "node:fs/promises";
import { extname, join, sep } from "node:path";
import { Readable } from "node:stream";
import type { Handler } from "hono";

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

/**
 * Serves the rendered site from `siteDir` (a symlink switched atomically on a full render, so it is
 * resolved per request). Hidden dot files (renders in progress) are never served.
 */
export function staticSite(siteDir: string): Handler {
  return async (c) => {
    let path: string;
    try {
      path = decodeURIComponent(c.req.path);
    } catch {
      return c.text("Bad request", 400);
    }
    if (path.includes("\0") || path.split("/").some((part) => part.startsWith(".")))
      return notFound(siteDir, c.req.method);
    const root = await realpath(siteDir).catch(() => null);
    if (!root) return c.text("The status page is being rendered; try again in a moment.", 503, { "Retry-After": "1" });
    let file = join(root, path);
    if (!file.startsWith(root + sep) && file !== root) return notFound(siteDir, c.req.method);
    let info = await stat(file).catch(() => null);
    if (info?.isDirectory()) {
      if (!path.endsWith("/")) return c.redirect(`${path}/`, 301);
      file = join(file, "index.html");
      info = await stat(file).catch(() => null);
    }
    if (!info?.isFile()) return notFound(root, c.req.method);
    return fileResponse(file, info.size, 200, c.req.method, path.startsWith("/_astro/"));
  };
}

async function notFound(root: string, method: string): Promise<Response> {
  const file = join(root, "404.html");
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) return new Response("Not found", { status: 404 });
  return fileResponse(file, info.size, 404, method, false);
}

function fileResponse(file: string, size: number, status: number, method: string, immutable: boolean): Response {
  const headers = new Headers({
    "Content-Type": TYPES[extname(file)] ?? "application/octet-stream",
    "Content-Length": String(size),
    "Cache-Control": immutable ? "public, max-age=31536000, immutable" : "public, max-age=0, must-revalidate",
    "X-Content-Type-Options": "nosniff",
  });
  if (extname(file) === ".json") headers.set("Access-Control-Allow-Origin", "*");
  if (method === "HEAD") return new Response(null, { status, headers });
  return new Response(Readable.toWeb(createReadStream(file)) as ReadableStream, { status, headers });
}
