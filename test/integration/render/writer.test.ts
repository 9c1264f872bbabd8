import { existsSync, readFileSync, statSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SiteApp } from "../../../jobs/render/site-app.ts";
import { createRouteWriter, type SiteChange } from "../../../jobs/render/writer.ts";
import { createTestDb, type TestDb } from "../../helpers/database.ts";

let testDb: TestDb;
let root: string;
/** What the fake site answers for each route: a body (200) or a status with no body. */
let answers: Map<string, string | number>;
let changes: SiteChange[];

/** A site app answering from `answers`; an unknown route is a 404. */
const fakeApp: SiteApp = {
  async render(request) {
    const answer = answers.get(new URL(request.url).pathname) ?? 404;
    return typeof answer === "string" ? new Response(answer) : new Response(null, { status: answer });
  },
};

beforeEach(async () => {
  testDb = await createTestDb();
  root = path.join(testDb.dir, "release");
  await mkdir(root);
  answers = new Map();
  changes = [];
});
afterEach(() => testDb.cleanup());

const writer = () => createRouteWriter(fakeApp, testDb.db, (change) => changes.push(change));
const live = () => ({ live: true, started: 0 });

describe("the writer", () => {
  it("writes a page with its compressed copies, keeps unchanged bytes, and announces only what changed", async () => {
    answers.set("/", "<p>All good</p>");
    answers.set("/history.rss", "<rss/>");
    const first = await writer().writeRoutes(root, ["/", "/history.rss"], live());
    expect(first).toMatchObject({ routes: 2, written: 2, unchanged: 0, removed: 0 });
    expect(readFileSync(path.join(root, "index.html"), "utf8")).toBe("<p>All good</p>");
    expect(existsSync(path.join(root, "index.html.br"))).toBe(true);
    expect(existsSync(path.join(root, "index.html.gz"))).toBe(true);
    const mtime = statSync(path.join(root, "index.html")).mtimeMs;

    answers.set("/history.rss", "<rss><item/></rss>");
    changes = [];
    const second = await writer().writeRoutes(root, ["/", "/history.rss"], live());
    expect(second).toMatchObject({ routes: 2, written: 1, unchanged: 1 });
    expect(statSync(path.join(root, "index.html")).mtimeMs).toBe(mtime);
    expect(changes).toEqual([{ file: "history.rss" }]);
  });

  it("removes a page that is now a 404, with its copies and its emptied folder", async () => {
    answers.set("/incidents/abc/", "<p>Outage</p>");
    await writer().writeRoutes(root, ["/incidents/abc/"], live());
    answers.delete("/incidents/abc/");
    const stats = await writer().writeRoutes(root, ["/incidents/abc/"], live());
    expect(stats).toMatchObject({ removed: 1 });
    expect(existsSync(path.join(root, "incidents", "abc"))).toBe(false);
  });

  it("keeps the old file of a route that fails, writes the others, then fails the pass", async () => {
    answers.set("/", "<p>Old</p>");
    await writer().writeRoutes(root, ["/"], { live: false, started: 0 });
    answers.set("/", 500);
    answers.set("/history/", "<p>History</p>");
    await expect(writer().writeRoutes(root, ["/", "/history/"], live())).rejects.toThrow(
      "1 of 2 routes failed to render.",
    );
    expect(readFileSync(path.join(root, "index.html"), "utf8")).toBe("<p>Old</p>");
    expect(readFileSync(path.join(root, "history", "index.html"), "utf8")).toBe("<p>History</p>");
    expect(changes).toEqual([{ file: path.join("history", "index.html") }]);
  });
});
