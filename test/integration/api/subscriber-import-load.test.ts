import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SubscriberCounts } from "../../../core/subscribers/admin/list-subscribers.ts";
import { type HeraldProcess, startHeraldProcess } from "../../helpers/herald-process.ts";

const TOKEN = "hrld_import_load_test_admin_token_0123456789";
const ROWS = 50_000;

let dataDir: string;
let herald: HeraldProcess;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "herald-import-load-"));
  herald = await startHeraldProcess(dataDir, { HERALD_ADMIN_TOKEN: TOKEN });
});
afterAll(async () => {
  await herald?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

const call = (path: string, init: RequestInit = {}) =>
  fetch(`${herald.url}${path}`, {
    ...init,
    headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" },
  });

/** Signs in to the console with the admin token, as a browser would: the session cookie and CSRF token. */
async function signIn(): Promise<{ cookie: string; csrf: string }> {
  const signedIn = await fetch(`${herald.url}/admin/sign-in`, {
    method: "POST",
    headers: { Origin: herald.url, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ token: TOKEN }),
    redirect: "manual",
  });
  const cookie = (signedIn.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "";
  const dashboard = await (await fetch(`${herald.url}/admin`, { headers: { Cookie: cookie } })).text();
  return { cookie, csrf: /name="csrf-token" content="([^"]+)"/.exec(dashboard)?.[1] ?? "" };
}

type Read = { startedAt: number; ms: number; status: number };

describe("a 50,000-row subscriber import", () => {
  it("imports every row while the status page and the API keep answering, and a concurrent subscribe is skipped", {
    timeout: 180_000,
  }, async () => {
    const created = await call("/api/components", { method: "POST", body: JSON.stringify({ name: "Mail relay" }) });
    expect(created.status, await created.text()).toBe(201);
    const lines = ["address,components"];
    for (let i = 0; i < ROWS; i++) lines.push(`reader${i}@example.com,${i % 10 === 0 ? "Mail relay" : ""}`);

    // Before the import: the first start's render and the first reads of each path are done.
    for (let settled = 0, tries = 0; settled < 3 && tries < 100; tries++) {
      const at = performance.now();
      for (const path of ["/", "/api/subscribers/counts"]) await (await call(path)).arrayBuffer();
      settled = performance.now() - at < 100 ? settled + 1 : 0;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // The console takes uploads up to 8 MB (the API's JSON bodies stop at 256 KiB): a 50,000-row file comes this way.
    const session = await signIn();
    const upload = new FormData();
    upload.set("_csrf", session.csrf);
    upload.set("file", new Blob([lines.join("\n")], { type: "text/csv" }), "subscribers.csv");
    const started = performance.now();
    let importDone = false;
    let importMs = 0;
    const importing = fetch(`${herald.url}/admin/subscribers/import`, {
      method: "POST",
      headers: { Origin: herald.url, Cookie: session.cookie },
      body: upload,
    }).then(async (response) => {
      importMs = performance.now() - started;
      importDone = true;
      return { status: response.status, html: await response.text() };
    });

    // A reader and an operator, one request after the other, for as long as the import runs.
    const reads: Read[] = [];
    let lateSubscriber: { status: number; duringImport: boolean } | null = null;
    while (!importDone) {
      for (const path of ["/", "/api/subscribers/counts"]) {
        const at = performance.now();
        const response = await call(path);
        const body = await response.text();
        if (!importDone) reads.push({ startedAt: at - started, ms: performance.now() - at, status: response.status });
        const counts = path.endsWith("counts") ? (JSON.parse(body) as SubscriberCounts) : null;
        if (!lateSubscriber && counts && counts.total > 0) {
          // Once the first part is in, someone subscribes an address from the end of the file: the import
          // skips it and fails nothing.
          const added = await call("/api/subscribers", {
            method: "POST",
            body: JSON.stringify({ address: `reader${ROWS - 1}@example.com` }),
          });
          lateSubscriber = { status: added.status, duringImport: !importDone };
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const imported = await importing;

    expect(lateSubscriber).toEqual({ status: 201, duringImport: true });
    expect(imported.status, imported.html.slice(0, 2000)).toBe(200);
    expect(imported.html).toContain(`${ROWS - 1} imported.`);
    expect(imported.html).toContain("already a subscriber");
    const counts = (await (await call("/api/subscribers/counts")).json()) as SubscriberCounts;
    expect(counts.by_state.active).toBe(ROWS);
    const slowest = Math.max(...reads.map((r) => r.ms));
    console.log(
      `import of ${ROWS} rows: ${Math.round(importMs)} ms; ${reads.length} reads answered during it, ` +
        `slowest ${Math.round(slowest)} ms, median ${Math.round(reads.map((r) => r.ms).sort((a, b) => a - b)[reads.length >> 1] ?? 0)} ms`,
    );
    expect(reads.every((r) => r.status === 200)).toBe(true);
    // Reads were answered all through the import, not only before or after one long stall.
    expect(reads.length).toBeGreaterThanOrEqual(10);
    expect(reads.filter((r) => r.startedAt > importMs / 2).length).toBeGreaterThan(0);
  });
});
