import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AdminIncident } from "../../core/incidents/admin-incident.ts";
import type { V2Component } from "../../core/public/statuspage.ts";
import { launchChromium } from "../helpers/browser.ts";
import { openHeraldData } from "../helpers/herald-data.ts";
import { type HeraldProcess, startHeraldProcess } from "../helpers/herald-process.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

let dataDir: string;
let herald: HeraldProcess;
let browser: Browser;
let page: Page;
let token: string;

async function api<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${herald.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T };
}

/** Reloads the served page until `check` passes, as a customer hitting refresh would; fails after `ms`. */
async function waitForPage(path: string, check: (text: string) => boolean, ms = 5000): Promise<string> {
  const deadline = Date.now() + ms;
  for (;;) {
    await page.goto(`${herald.url}${path}`);
    // biome-ignore lint/performance/useDomNodeTextContent: innerText is what a reader sees (hidden text excluded).
    const text = await page.locator("body").innerText();
    if (check(text)) return text;
    if (Date.now() > deadline) throw new Error(`The page at ${path} did not change within ${ms} ms:\n${text}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "herald-e2e-"));
  herald = await startHeraldProcess(dataDir);
  token = herald.printedToken ?? "";
  browser = await launchChromium();
  page = await browser.newPage({ javaScriptEnabled: false });
});

afterAll(async () => {
  await browser?.close();
  await herald?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe("a new user's first incident, end to end", () => {
  it("the first start creates a demo page and prints an admin token once", async () => {
    expect(token).toMatch(/^hrld_\w{40}$/);
    const text = await waitForPage("/", (t) => t.includes("All Systems Operational"));
    expect(text).toContain("API");
    // The Platform group is collapsed while all of it is operational; its components are one click away.
    expect(text).toContain("Platform");
    expect(await page.locator("details", { hasText: "Platform" }).textContent()).toContain("Database");
  });

  it("an incident opened through the API shows on the served page, summary.json and status.json within 5 s", async () => {
    const components = await api<V2Component[]>("GET", "/api/components");
    const apiComponent = components.body.find((c) => c.name === "API");
    expect(apiComponent).toBeDefined();
    const opened = await api<AdminIncident>("POST", "/api/incidents", {
      name: "Elevated error rates on the API",
      status: "investigating",
      body: "We are investigating **elevated error rates**.",
      components: { [apiComponent?.id ?? ""]: "partial_outage" },
    });
    expect(opened.status).toBe(201);
    const started = Date.now();

    const text = await waitForPage("/", (t) => t.includes("Elevated error rates on the API"));
    expect(text).toMatch(/Partial outage/i);
    expect(text).not.toContain("All Systems Operational");
    expect(Date.now() - started).toBeLessThan(5000);

    const summary = await (await fetch(`${herald.url}/api/v2/summary.json`)).json();
    expect(summary.incidents.map((i: { id: string }) => i.id)).toContain(opened.body.id);
    const status = await (await fetch(`${herald.url}/api/v2/status.json`)).json();
    expect(status.status.indicator).not.toBe("none");

    const incidentPage = await waitForPage(`/incidents/${opened.body.id}/`, (t) => t.includes("elevated error rates"));
    expect(incidentPage).toContain("Investigating");

    await api("POST", `/api/incidents/${opened.body.id}/updates`, { status: "resolved", body: "All clear." });
    const resolvedIndex = await waitForPage("/", (t) => t.includes("All Systems Operational"));
    expect(resolvedIndex).not.toMatch(/Active incident/);
    // biome-ignore lint/performance/useDomNodeTextContent: innerText is what a reader sees.
    expect(await page.locator("section", { has: page.locator("#recent-h") }).innerText()).toContain(
      "Elevated error rates on the API",
    );
    const after = await (await fetch(`${herald.url}/api/v2/summary.json`)).json();
    expect(after.incidents).toEqual([]);
    expect(after.status.indicator).toBe("none");
    expect(after.components.every((c: { status: string }) => c.status === "operational")).toBe(true);
    const month = new Date().toLocaleString("en-US", { month: "long", year: "numeric", timeZone: "UTC" });
    const history = await waitForPage("/history/", (t) => t.includes(month));
    expect(history).toMatch(/\b1 incident\b/);
  });

  it("the static v2 JSON in the rendered site matches the live API", async () => {
    const deadline = Date.now() + 5000;
    for (const name of ["summary.json", "status.json", "incidents.json", "components.json"]) {
      for (;;) {
        const live = await (await fetch(`${herald.url}/api/v2/${name}`)).text();
        const rendered = await readFile(join(dataDir, "site", "api", "v2", name), "utf8");
        if (rendered === live || Date.now() > deadline) {
          expect(rendered).toBe(live);
          break;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  });

  it("Ctrl-C stops cleanly and a second start keeps all data without printing a new token", async () => {
    expect(await herald.stop("SIGINT")).toBe(0);
    herald = await startHeraldProcess(dataDir);
    expect(herald.printedToken).toBeNull();
    const incidents = await api<AdminIncident[]>("GET", "/api/incidents");
    expect(incidents.status).toBe(200);
    expect(incidents.body.map((i) => i.name)).toEqual(["Elevated error rates on the API"]);
    const text = await waitForPage("/", (t) => t.includes("All Systems Operational"));
    expect(text).toContain("API");
  });

  it("an incident accepted just before a hard crash reaches the page through its outbox job after the restart", async () => {
    const name = "Accepted right before a crash";
    const data = openHeraldData(dataDir);
    try {
      const release = await data.liveRelease();
      const releases = await data.releases();
      // Killed the moment the 201 arrives: the render job is committed, its render has barely begun.
      const accepted = fetch(`${herald.url}/api/incidents`, {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body: JSON.stringify({ name }),
      });
      const response = await accepted;
      await herald.stop("SIGKILL");
      expect(response.status).toBe(201);

      const id = await data.incidentIdByName(name);
      expect(id).not.toBeNull();
      const incidentId = id ?? "";
      expect(await data.renderJobsFor(incidentId)).toHaveLength(1);
      expect(await readFile(join(release, "index.html"), "utf8")).not.toContain(name);

      herald = await startHeraldProcess(dataDir);
      await waitForPage("/", (t) => t.includes(name));
      // The pass writes the index first and the v2 documents after it (docs/architecture.md), so wait for both.
      await waitForPage("/api/v2/summary.json", (t) => t.includes(incidentId));
      const summary = await (await fetch(`${herald.url}/api/v2/summary.json`)).json();
      expect(summary.incidents.map((i: { id: string }) => i.id)).toContain(incidentId);
      // The job did it: it is gone (deleted once its pass is written), and the start rendered nothing else
      // (same release, no new one).
      await expect.poll(() => data.renderJobsFor(incidentId), { timeout: 5000 }).toEqual([]);
      expect(await data.liveRelease()).toBe(release);
      expect(await data.releases()).toEqual(releases);
      expect(herald.output()).not.toMatch(/rendering the whole site/);
    } finally {
      data.close();
    }
  });

  it("a new code version renders the whole site again at start", async () => {
    const data = openHeraldData(dataDir);
    try {
      expect(await herald.stop("SIGINT")).toBe(0);
      const release = await data.liveRelease();
      const build = (await readFile(join(ROOT, "dist", ".build-hash"), "utf8")).trim();
      expect(await data.stampOf(release)).toBe(build);
      // As if an older Herald had rendered it.
      const stampFile = `${release}.stamp.json`;
      const stamp = JSON.parse(await readFile(stampFile, "utf8"));
      await writeFile(stampFile, JSON.stringify({ ...stamp, build: "an-older-build" }));

      herald = await startHeraldProcess(dataDir);
      expect(herald.output()).toMatch(/rendering the whole site/);
      const deadline = Date.now() + 20_000;
      while ((await data.liveRelease()) === release) {
        if (Date.now() > deadline) throw new Error("The new code version's full render did not go live in 20 s.");
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(await data.stampOf(await data.liveRelease())).toBe(build);
      const text = await waitForPage("/", (t) => t.includes("Accepted right before a crash"));
      expect(text).toContain("API");
    } finally {
      data.close();
    }
  });
});
