import { symlink } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { connect } from "node:net";
import { join } from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postUpdate } from "../../core/incidents/post-update.ts";
import { V2_DOCUMENTS } from "../../core/public/paths.ts";
import { liveReads } from "../../core/public/reads.ts";
import { buildV2Document, serializeV2 } from "../../core/public/statuspage.ts";
import { currentSiteDir } from "../../jobs/render/index.ts";
import { launchChromium } from "../helpers/browser.ts";
import { contextFor } from "../helpers/database.ts";
import { type RenderedSite, renderRealisticSite } from "../helpers/rendered-site.ts";

let site: RenderedSite;
let browser: Browser;

beforeAll(async () => {
  [site, browser] = await Promise.all([renderRealisticSite(), launchChromium()]);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await site?.close();
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${site.url}${path}`, { headers });

/** The bytes of a response as sent, without fetch's transparent decoding. */
function rawGet(
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Headers; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(new URL(site.url).port), "127.0.0.1");
    const chunks: Buffer[] = [];
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("end", () => {
      const raw = Buffer.concat(chunks);
      const split = raw.indexOf("\r\n\r\n");
      const [statusLine = "", ...lines] = raw.subarray(0, split).toString("latin1").split("\r\n");
      const parsed = new Headers();
      for (const line of lines)
        parsed.append(line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 1).trim());
      resolve({ status: Number(statusLine.split(" ")[1]), headers: parsed, body: raw.subarray(split + 4) });
    });
    const extra = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
    socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${extra.join("")}\r\n`);
  });
}

describe("the public server", () => {
  it("refuses a file whose real path leaves the release, such as a link to the database", async () => {
    const release = currentSiteDir(site.dataDir);
    const databaseFile = new URL(site.databaseUrl).pathname;
    await symlink(databaseFile, join(release, "leak.json"));
    await symlink(join(site.dataDir, ".."), join(release, "up"));
    for (const path of ["/leak.json", "/up/", `/up/${databaseFile.split("/").pop()}`]) {
      const response = await get(path);
      expect(response.status, path).toBe(404);
      expect(await response.text(), path).not.toContain("SQLite format");
    }
    const document = await get("/api/v2/summary.json");
    expect(document.status).toBe(200);
  });

  it("sends the page's content security policy and the other security headers on every page", async () => {
    for (const path of ["/", `/incidents/${site.ids.openIncident}/`, "/history/", "/no-such-page/"]) {
      const response = await get(path);
      const html = await response.text();
      const meta = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1]?.replaceAll("&#39;", "'");
      const csp = response.headers.get("content-security-policy") ?? "";
      expect(meta, path).toMatch(/script-src 'sha256-/);
      expect(csp, path).toBe(`${meta}; frame-ancestors 'none'`);
      expect(response.headers.get("referrer-policy"), path).toBe("strict-origin-when-cross-origin");
      expect(response.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(response.headers.get("permissions-policy"), path).toMatch(/camera=\(\)/);
    }
    const feed = await get("/history.rss");
    expect(feed.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
  });

  it("in Chromium the page's script still runs, and another origin cannot frame the page", async () => {
    const framer: Server = createServer((_req, res) => {
      res.writeHead(200, { "Content-Type": "text/html" });
      res.end(`<!doctype html><title>framer</title><iframe src="${site.url}/"></iframe>`);
    });
    await new Promise<void>((resolve) => framer.listen(0, "127.0.0.1", resolve));
    try {
      const page = await browser.newPage();
      await page.goto(`${site.url}/`);
      expect(await page.locator("#tz").textContent()).toBe("Times are shown in your time zone.");
      const framed = await browser.newPage();
      const blocked: string[] = [];
      framed.on("console", (message) => {
        if (/frame-ancestors/i.test(message.text())) blocked.push(message.text());
      });
      await framed.goto(`http://localhost:${(framer.address() as AddressInfo).port}/`);
      await framed.waitForTimeout(500);
      const frame = framed.frames().find((f) => f !== framed.mainFrame());
      const framedText = await frame
        ?.locator("body")
        .textContent()
        .catch(() => "");
      expect(framedText ?? "").not.toContain("Delayed webhook deliveries");
      expect(blocked.length).toBeGreaterThan(0);
      await Promise.all([page.close(), framed.close()]);
    } finally {
      await new Promise<void>((resolve) => framer.close(() => resolve()));
    }
  });

  it("sends brotli or gzip as the reader accepts, each decoding to the same bytes", async () => {
    for (const path of ["/", "/api/v2/summary.json", "/history.rss", `/incidents/${site.ids.openIncident}/`]) {
      const plain = await rawGet(path, {});
      expect(plain.headers.get("content-encoding"), path).toBeNull();
      expect(plain.headers.get("vary"), path).toBe("Accept-Encoding");
      const br = await rawGet(path, { "Accept-Encoding": "gzip, deflate, br" });
      expect(br.headers.get("content-encoding"), path).toBe("br");
      expect(brotliDecompressSync(br.body).equals(plain.body), path).toBe(true);
      expect(br.body.byteLength).toBeLessThan(plain.body.byteLength / 2);
      const gzip = await rawGet(path, { "Accept-Encoding": "br;q=0.5, gzip" });
      expect(gzip.headers.get("content-encoding"), path).toBe("gzip");
      expect(gunzipSync(gzip.body).equals(plain.body), path).toBe(true);
      const refused = await rawGet(path, { "Accept-Encoding": "br;q=0, gzip;q=0" });
      expect(refused.headers.get("content-encoding"), path).toBeNull();
      expect(new Set([plain, br, gzip].map((r) => r.headers.get("etag"))).size).toBe(3);
    }
  });

  it("answers a repeated request with 304 Not Modified while the file is unchanged", async () => {
    for (const path of ["/", "/history.atom", "/history/"]) {
      const first = await get(path, { "Accept-Encoding": "br" });
      const etag = first.headers.get("etag") ?? "";
      expect(etag, path).toMatch(/^"[^"]+"$/);
      const again = await get(path, { "Accept-Encoding": "br", "If-None-Match": etag });
      expect(again.status, path).toBe(304);
      expect(await again.text()).toBe("");
      expect(again.headers.get("etag")).toBe(etag);
      const weak = await get(path, { "Accept-Encoding": "br", "If-None-Match": `"other", W/${etag}` });
      expect(weak.status, path).toBe(304);
      const otherEncoding = await get(path, { "Accept-Encoding": "gzip", "If-None-Match": etag });
      expect(otherEncoding.status, path).toBe(200);
    }
  });

  it("serves a kept-in-memory file fresh after a change's render and after a full render", async () => {
    const ctx = contextFor(site.db, site.clock);
    for (const full of [false, true]) {
      const before = await (await get("/api/v2/summary.json")).text();
      const etag = (await get("/", { "Accept-Encoding": "br" })).headers.get("etag") ?? "";
      site.clock.advance(60_000);
      const body = `Deliveries are catching up (${full ? "full" : "partial"}).`;
      await postUpdate(ctx, site.ids.openIncident, { body });
      if (full) await site.renderer.renderAll();
      else await site.renderer.renderTopics([{ incidents: [site.ids.openIncident] }]);
      const after = await (await get("/api/v2/summary.json")).text();
      expect(after).not.toBe(before);
      expect(after).toContain(body);
      const index = await get("/", { "Accept-Encoding": "br", "If-None-Match": etag });
      expect(index.status).toBe(200);
      expect(await index.text()).toContain(body);
    }
    await site.renderer.settled();
  });

  it("answers other methods on pages with 405 and Allow: GET, HEAD", async () => {
    for (const method of ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"]) {
      const response = await fetch(`${site.url}/history/`, { method });
      expect(response.status, method).toBe(405);
      expect(response.headers.get("allow")).toBe("GET, HEAD");
    }
    const head = await fetch(`${site.url}/`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get("content-length"))).toBeGreaterThan(1000);
  });

  it("after a 413 says Connection: close and closes the connection cleanly, without a reset", async () => {
    const port = Number(new URL(site.url).port);
    const result = await new Promise<{ response: string; reset: boolean }>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      let response = "";
      let reset = false;
      socket.on("data", (chunk) => {
        response += chunk.toString("latin1");
      });
      socket.on("error", () => {
        reset = true;
      });
      socket.on("close", () => resolve({ response, reset }));
      socket.write(
        "POST /api/incidents HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10000000\r\n\r\n",
      );
      // Keep sending part of the body while the server answers.
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const pump = () => {
        while (sent < 1_000_000 && !socket.destroyed) {
          sent += chunk.byteLength;
          if (!socket.write(chunk)) return void socket.once("drain", pump);
        }
        if (!socket.destroyed) socket.end();
      };
      pump();
    });
    expect(result.reset).toBe(false);
    expect(result.response).toMatch(/^HTTP\/1\.1 413 /);
    expect(result.response.toLowerCase()).toContain("connection: close");
    expect(result.response).toContain("payload-too-large");
  });

  it("closes the connection after answering 431 to headers too large", async () => {
    const port = Number(new URL(site.url).port);
    const response = await new Promise<string>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      let text = "";
      socket.on("data", (chunk) => {
        text += chunk.toString("latin1");
      });
      socket.on("error", () => {});
      socket.on("close", () => resolve(text));
      socket.write(`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`);
    });
    expect(response).toMatch(/^HTTP\/1\.1 431 /);
    expect(response.toLowerCase()).toContain("connection: close");
  });

  it("on Node, the v2 documents are the rendered files, byte for byte what the live serializer produces", async () => {
    await site.renderer.settled();
    for (const name of V2_DOCUMENTS) {
      const served = await get(`/api/v2/${name}`);
      expect(served.status, name).toBe(200);
      expect(served.headers.get("access-control-allow-origin")).toBe("*");
      expect(served.headers.get("etag"), name).toBeTruthy();
      expect(await served.text(), name).toBe(serializeV2(await buildV2Document(liveReads(site.db), name)));
    }
    const unknown = await get("/api/v2/nothing.json");
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("content-type")).toMatch(/problem\+json/);
  });
});
