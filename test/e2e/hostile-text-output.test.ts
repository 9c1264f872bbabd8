import { mkdir, readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { HtmlValidate } from "html-validate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AdminIncident } from "../../core/incidents/admin-incident.ts";
import type { V2Component } from "../../core/public/statuspage.ts";
import { forbiddenCharacter } from "../../core/text/safe-text.ts";
import { createRenderer, currentSiteDir } from "../../jobs/render/index.ts";
import { createTestApi, type TestApi } from "../helpers/api.ts";

/**
 * Text the API accepts although it looks hostile (markup, CDATA ends, entities, emoji, right-to-left
 * scripts, zero-width joiners, very long words, Markdown-like names), fed through the API into every
 * field, then rendered by the real renderer: every page, feed, calendar and JSON document stays valid.
 */

const SITE_DIST = fileURLToPath(new URL("../../site/dist", import.meta.url));

const HOSTILE_NAMES = [
  "<script>alert('name')</script>",
  "]]> <![CDATA[ & </title></item>",
  "R&D &amp; &lt;b&gt; &#0; \"quoted\" 'single'",
  "🔥 Database 🚀 👩🏽‍💻 🇩🇪",
  "خادم قاعدة البيانات",
  "שרת \u200F(API)\u200F ראשי",
  "می‌خواهم data\u200bbase",
  `Supercalifragilistic${"x".repeat(200)}`,
  "**bold** _x_ [link](javascript:alert(1)) ![img](https://x.test/a.png) # not a heading",
  "Cafe\u0301 \\ ; , : BEGIN:VEVENT",
];

const HOSTILE_BODY = [
  "<script>alert('body')</script> <img src=x onerror=alert(1)> ]]> &amp; & \"quotes\"",
  "",
  "Emoji 🔥👩🏽‍💻🇩🇪, Arabic خادم, Hebrew שרת, isolate \u2067عربي\u2069, ZWJ 👨‍👩‍👧.",
  "",
  "Lines\r\nwith CRLF\rand a lone CR\n\tand a tab; commas, semicolons; backslash \\ and BEGIN:VEVENT",
  "",
  `![graph](https://grafana.example/p99.png) [![badge](https://ci.example/b.svg)](https://ci.example) ${"w".repeat(3000)}`,
].join("\n");

let api: TestApi;
let siteDir: string;
const files: Record<string, string> = {};

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const found: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await walk(path)));
    else if (entry.isFile()) found.push(path);
  }
  return found;
}

beforeAll(async () => {
  api = await createTestApi();
  const send = async <T>(method: string, path: string, json: unknown): Promise<T> => {
    const response = await api.request<T>(method, path, { json });
    if (response.status >= 300) throw new Error(`${method} ${path}: ${JSON.stringify(response.body).slice(0, 300)}`);
    return response.body;
  };
  const group = await send<V2Component>("POST", "/api/components", { name: HOSTILE_NAMES[0], group: true });
  const components: V2Component[] = [];
  for (const [index, name] of HOSTILE_NAMES.entries()) {
    components.push(
      await send<V2Component>("POST", "/api/components", {
        name,
        description: HOSTILE_NAMES[(index + 1) % HOSTILE_NAMES.length],
        ...(index % 2 === 0 ? { group_id: group.id } : {}),
      }),
    );
  }
  for (const [index, name] of HOSTILE_NAMES.entries()) {
    const component = components[index];
    if (!component) continue;
    const incident = await send<AdminIncident>("POST", "/api/incidents", {
      name,
      body: HOSTILE_BODY,
      components: { [component.id]: index % 2 === 0 ? "major_outage" : "degraded_performance" },
      next_update_in_minutes: 30,
    });
    await send("POST", `/api/incidents/${incident.id}/updates`, { status: "identified", body: HOSTILE_BODY });
    if (index % 3 === 0) {
      await send("POST", `/api/incidents/${incident.id}/updates`, { status: "resolved", body: HOSTILE_BODY });
      await send("PUT", `/api/incidents/${incident.id}/postmortem`, { body: `## ${name}\n\n${HOSTILE_BODY}` });
    }
    await send("POST", "/api/incidents", {
      kind: "maintenance",
      name,
      body: HOSTILE_BODY,
      scheduled_for: `2026-12-${String(index + 2).padStart(2, "0")}T02:00:00Z`,
      scheduled_until: `2026-12-${String(index + 2).padStart(2, "0")}T04:00:00Z`,
    });
  }
  const dataDir = join(api.dir, "data");
  await mkdir(dataDir, { recursive: true });
  const renderer = await createRenderer({ db: api.db, dataDir, siteDist: SITE_DIST });
  await renderer.renderAll();
  siteDir = currentSiteDir(dataDir);
  for (const path of await walk(siteDir)) {
    if (/\.(html|rss|atom|xml|json|ics)$/.test(path)) files[relative(siteDir, path)] = await readFile(path, "utf8");
  }
}, 180_000);
afterAll(() => api?.cleanup());

const named = (pattern: RegExp) => Object.entries(files).filter(([path]) => pattern.test(path));

describe("accepted hostile-looking text leaves every rendered document valid", () => {
  it("renders the pages, feeds and documents the fixture needs", () => {
    expect(named(/\.html$/).length).toBeGreaterThan(20);
    expect(named(/components\/[^/]+\/history\.(rss|atom)$/).length).toBeGreaterThanOrEqual(HOSTILE_NAMES.length * 2);
    expect(Object.keys(files)).toEqual(
      expect.arrayContaining(["history.rss", "history.atom", "maintenance.ics", "api/v2/summary.json"]),
    );
  });

  it("every HTML page passes html-validate and shows the text, never runs it", async () => {
    const validator = new HtmlValidate({ extends: ["html-validate:standard"] });
    const problems: string[] = [];
    for (const [path, html] of named(/\.html$/)) {
      const report = await validator.validateString(html, path);
      for (const result of report.results) {
        for (const m of result.messages) problems.push(`${path}: ${m.ruleId}: ${m.message} (line ${m.line})`);
      }
      // Markup inside a quoted attribute value is text; outside of one, it must have been escaped.
      const outsideAttributes = html.replace(/="[^"]*"/g, '=""');
      expect(outsideAttributes, path).not.toContain("<script>alert(");
      expect(outsideAttributes, path).not.toMatch(/<img[\s>/]|<[a-z][^>]*\son\w+=/i);
      expect(html, path).not.toContain('href="javascript:');
    }
    expect(problems).toEqual([]);
    expect(files["index.html"]).toContain("🔥 Database 🚀 👩🏽‍💻 🇩🇪");
    expect(files["index.html"]).toContain("&lt;script&gt;alert(");
  });

  it("every feed is well-formed XML and carries the names exactly", () => {
    const parser = new XMLParser({ ignoreAttributes: false, processEntities: true, htmlEntities: false });
    for (const [path, xml] of named(/\.(rss|atom|xml)$/)) {
      expect(XMLValidator.validate(xml), path).toBe(true);
      expect(forbiddenCharacter(xml, { multiline: true }), path).toBeNull();
      parser.parse(xml);
    }
    const rss = parser.parse(files["history.rss"] ?? "") as { rss: { channel: { item: { title: string }[] } } };
    const titles = rss.rss.channel.item.map((item) => String(item.title));
    for (const name of HOSTILE_NAMES) {
      expect(
        titles.some((title) => title.includes(name.normalize("NFC"))),
        name,
      ).toBe(true);
    }
  });

  it("every JSON document parses and carries the names exactly", () => {
    for (const [path, json] of named(/\.json$/)) expect(() => JSON.parse(json), path).not.toThrow();
    const summary = JSON.parse(files["api/v2/summary.json"] ?? "{}") as { components: { name: string }[] };
    for (const name of HOSTILE_NAMES) {
      expect(summary.components.map((c) => c.name)).toContain(name.normalize("NFC"));
    }
  });

  it("the calendar has no bare CR or LF: every line ends in CRLF", () => {
    const ics = files["maintenance.ics"] ?? "";
    expect(ics).toContain("BEGIN:VCALENDAR");
    expect(ics.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
    expect(ics.split("\r\n").filter((line) => line === "BEGIN:VEVENT").length).toBe(HOSTILE_NAMES.length);
  });
});
