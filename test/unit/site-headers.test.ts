import { describe, expect, it } from "vitest";
import { headersFile, siteFileHeaders } from "../../core/public/site-headers.ts";
import { inPublishOrder, linkedFiles } from "../../jobs/publish/order.ts";
import { isPublishable } from "../../jobs/publish/release-files.ts";
import { publishFromEnv } from "../../server/publish-config.ts";

const PAGE_POLICY = "default-src 'self'; script-src 'sha256-abc'";

/**
 * What Cloudflare Pages and Netlify do with `_headers`: every rule whose pattern matches applies, and a
 * header two rules set gets both values joined by a comma (Pages' documented behaviour).
 */
function hostHeaders(rules: string, path: string): Record<string, string> {
  const headers: Record<string, string> = {};
  let matches = false;
  for (const line of rules.split("\n")) {
    if (line.startsWith("#") || line.trim() === "") continue;
    if (!line.startsWith(" ")) {
      const pattern = new RegExp(
        `^${line
          .trim()
          .replace(/[.+?^${}()|[\]\\]/g, "\\$&")
          .replace(/\*/g, ".*")}$`,
      );
      matches = pattern.test(path);
      continue;
    }
    if (!matches) continue;
    const [name = "", ...value] = line.trim().split(": ");
    headers[name] = headers[name] ? `${headers[name]}, ${value.join(": ")}` : value.join(": ");
  }
  return headers;
}

/** What both hosts send by default for a file: its type from the extension, revalidated on every read. */
const HOST_DEFAULTS = { "Cache-Control": "public, max-age=0, must-revalidate" };

describe("one header policy for the Node server, object storage and static hosts", () => {
  const files: [string, string][] = [
    ["index.html", "/"],
    ["incidents/abc/index.html", "/incidents/abc/"],
    ["api/v2/summary.json", "/api/v2/summary.json"],
    ["api/v2/incidents/unresolved.json", "/api/v2/incidents/unresolved.json"],
    ["_astro/index.DxYz.css", "/_astro/index.DxYz.css"],
    ["history.rss", "/history.rss"],
    ["favicon.svg", "/favicon.svg"],
  ];
  const options = { pagePolicy: PAGE_POLICY, frameAncestors: ["https://intranet.example.com"] };
  const rules = headersFile(options);

  it.each(files)(
    "a static host given _headers serves %s with the Node server's cache, CORS and security headers",
    (file, path) => {
      const node = siteFileHeaders(file, options);
      const host: Record<string, string> = { ...HOST_DEFAULTS, ...hostHeaders(rules, path) };
      for (const name of [
        "Cache-Control",
        "Access-Control-Allow-Origin",
        "Referrer-Policy",
        "X-Content-Type-Options",
        "Permissions-Policy",
      ])
        expect(host[name], name).toBe(node[name]);
      if (file.startsWith("api/v2/")) expect(host["Content-Type"]).toBe(node["Content-Type"]);
      if (file.endsWith(".html")) expect(host["Content-Security-Policy"]).toBe(node["Content-Security-Policy"]);
      expect(host["Content-Security-Policy"]).toContain("frame-ancestors https://intranet.example.com");
    },
  );

  it("the v2 JSON may be read from any origin; pages may not be framed unless allowed", () => {
    expect(siteFileHeaders("api/v2/status.json", { pagePolicy: PAGE_POLICY })["Access-Control-Allow-Origin"]).toBe("*");
    expect(siteFileHeaders("index.html", { pagePolicy: PAGE_POLICY })["Access-Control-Allow-Origin"]).toBeUndefined();
    expect(siteFileHeaders("index.html", { pagePolicy: PAGE_POLICY })["Content-Security-Policy"]).toBe(
      `${PAGE_POLICY}; frame-ancestors 'none'`,
    );
  });
});

describe("what a publish carries, in which order", () => {
  it("never a hidden file, a compressed copy of a text file or the hosts' _headers", () => {
    expect(isPublishable("index.html")).toBe(true);
    expect(isPublishable("_astro/font.woff2")).toBe(true);
    for (const file of [
      ".env",
      "incidents/.x.html.123.tmp",
      ".git/config",
      "index.html.br",
      "history.rss.gz",
      "_headers",
    ])
      expect(isPublishable(file), file).toBe(false);
  });

  it("assets, then leaf pages, then the entry points readers start from", () => {
    const order = inPublishOrder([
      "api/v2/summary.json",
      "index.html",
      "incidents/abc/index.html",
      "_astro/site.css",
      "components/xyz/history.rss",
      "history/index.html",
      "history/2026-11/index.html",
    ]);
    expect(order).toEqual([
      ["_astro/site.css"],
      ["components/xyz/history.rss", "history/2026-11/index.html", "incidents/abc/index.html"],
      ["api/v2/summary.json", "history/index.html", "index.html"],
    ]);
  });

  it("reads the links of a page to its own site", () => {
    const html = `<link href="/_astro/a.css"><a href="/incidents/abc/">x</a><a href="https://example.com/">y</a>
      <a href="//cdn.example.com/z.js">z</a><a href="/history/#top">h</a><img src="/favicon.svg">`;
    expect(linkedFiles(html).sort()).toEqual([
      "_astro/a.css",
      "favicon.svg",
      "history/index.html",
      "incidents/abc/index.html",
    ]);
  });
});

describe("publish configuration", () => {
  it("reads an S3-compatible target from HERALD_PUBLISH and S3_*", () => {
    const settings = publishFromEnv({
      HERALD_PUBLISH: "s3://status-site/public/",
      S3_ENDPOINT: "https://account.r2.cloudflarestorage.com",
      S3_ACCESS_KEY_ID: "key",
      S3_SECRET_ACCESS_KEY: "secret",
      HERALD_PUBLISH_HOOK: "https://api.netlify.com/build_hooks/abc",
    });
    expect(settings).toEqual({
      target: {
        kind: "s3",
        bucket: "status-site",
        prefix: "public/",
        endpoint: "https://account.r2.cloudflarestorage.com",
        region: "auto",
        credentials: { accessKeyId: "key", secretAccessKey: "secret" },
        forcePathStyle: false,
      },
      hookUrl: "https://api.netlify.com/build_hooks/abc",
    });
    expect(publishFromEnv({ S3_BUCKET: "b", S3_PREFIX: "", S3_FORCE_PATH_STYLE: "1" }).target).toMatchObject({
      kind: "s3",
      bucket: "b",
      prefix: "",
      forcePathStyle: true,
    });
    expect(publishFromEnv({}).target).toEqual({ kind: "folder" });
  });

  it("refuses what cannot work with a message naming the setting, never the secret", () => {
    const refusals: [Record<string, string>, RegExp][] = [
      [{ HERALD_PUBLISH: "ftp://host/x" }, /HERALD_PUBLISH is s3:\/\/bucket\/prefix/],
      [
        { HERALD_PUBLISH: "s3://site/x", S3_SECRET_ACCESS_KEY: "very-secret-value" },
        /S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together/,
      ],
      [{ HERALD_PUBLISH: "s3://bucket/.hidden" }, /may not have a part starting with a dot/],
      [{ S3_BUCKET: "b", S3_ENDPOINT: "localhost:9000" }, /S3_ENDPOINT must be/],
      [{ HERALD_PUBLISH_HOOK: "not a url" }, /HERALD_PUBLISH_HOOK must be/],
    ];
    for (const [env, message] of refusals) {
      let error: unknown;
      try {
        publishFromEnv(env);
      } catch (caught) {
        error = caught;
      }
      expect(error, JSON.stringify(env)).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain("very-secret-value");
    }
  });
});
