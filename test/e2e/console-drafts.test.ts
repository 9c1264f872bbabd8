import { mkdir, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeViolations } from "../helpers/axe.ts";
import { launchChromium } from "../helpers/browser.ts";
import { type HeraldProcess, startHeraldProcess } from "../helpers/herald-process.ts";

const SCREENSHOTS = "test-results/screenshots";

let dataDir: string;
let herald: HeraldProcess;
let browser: Browser;
let adminToken: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "herald-console-drafts-"));
  herald = await startHeraldProcess(dataDir);
  adminToken = herald.printedToken ?? "";
  browser = await launchChromium();
  await mkdir(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await herald?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${herald.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${adminToken}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

/** Waits until `read` gives what `accept` takes. */
async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`never: ${what}\n${String(value).slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** The subjects of the mails written for `to` (without SMTP_URL Herald writes each mail as an .eml file). */
async function mailSubjects(to: string): Promise<string[]> {
  const folder = join(dataDir, "mail");
  const files = await readdir(folder).catch(() => []);
  const subjects: string[] = [];
  for (const file of files.filter((f) => f.endsWith(".eml"))) {
    const text = await readFile(join(folder, file), "utf8");
    if (new RegExp(`^To: ${to}`, "m").test(text)) subjects.push(/^Subject: (.*)$/m.exec(text)?.[1] ?? "");
  }
  return subjects.sort();
}

async function signIn(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  const page = await context.newPage();
  await page.goto(`${herald.url}/admin`);
  await page.getByLabel("API token").fill(adminToken);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL(`${herald.url}/admin`);
  page.setDefaultTimeout(8000);
  return page;
}

describe("a draft incident from alerts, in the console (Chromium against the built Herald)", () => {
  it("shows on the dashboard with its alerts, is reviewed, previewed and published, and subscribers get it once", async () => {
    const components = await api<{ id: string; name: string }[]>("GET", "/api/components");
    const apiComponent = components.find((c) => c.name === "API")?.id ?? components[0]?.id ?? "";
    await api("POST", "/api/subscribers", { address: "reader@example.com" });
    // As a new user sets it up: a source per sender, a template, a rule; then the senders deliver.
    const prometheus = await api<{ token: string }>("POST", "/api/alert-sources", {
      name: "Prometheus",
      kind: "alertmanager",
    });
    const scripts = await api<{ token: string }>("POST", "/api/alert-sources", { name: "Scripts", kind: "generic" });
    await api("POST", "/api/templates", {
      id: "api-trouble",
      name: "API trouble",
      kind: "incident",
      status: "investigating",
      title: "API is partially unavailable",
      body: "Some requests to the **API** fail. We are investigating.",
      component_status: "partial_outage",
      next_update_in_minutes: 30,
    });
    await api("POST", "/api/alert-rules", {
      name: "Probe failures",
      matchers: ['alertname="ProbeFailure"'],
      component_ids: [apiComponent],
      template_id: "api-trouble",
    });
    const deliver = async (source: string, token: string, body: string) => {
      const response = await fetch(`${herald.url}/api/intake/${source}`, {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body,
      });
      expect(response.status, await response.text()).toBe(202);
    };
    await deliver("prometheus", prometheus.token, await readFile("test/fixtures/alerts/alertmanager-v4.json", "utf8"));
    await deliver(
      "scripts",
      scripts.token,
      JSON.stringify({
        alerts: [
          {
            fingerprint: "error-rate",
            status: "firing",
            severity: "warning",
            summary: "5xx rate above 5% <script>alert(1)</script>",
            labels: { alertname: "ProbeFailure", service: "api" },
          },
        ],
      }),
    );
    const draft = (
      await eventually(
        () => api<{ id: string; alerts: unknown[] }[]>("GET", "/api/alert-drafts?state=waiting"),
        (drafts) => drafts.length === 1 && drafts[0]?.alerts.length === 2,
        "the rule drafts one incident with both alerts",
      )
    )[0] ?? { id: "" };

    const page = await signIn();
    const card = page.locator('section[aria-labelledby="drafts-h"]');
    await expect.poll(() => card.textContent()).toContain("A draft incident waits for you");
    const text = (await card.textContent()) ?? "";
    expect(text).toContain("API is partially unavailable");
    expect(text).toContain('alertname="ProbeFailure"');
    // Hostile alert text shows as text, never runs.
    expect(text).toContain("<script>alert(1)</script>");
    expect(await axeViolations(page), "dashboard").toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}/console-drafts-dashboard.png`, fullPage: true });

    await card.getByRole("link", { name: "Review and publish" }).click();
    await page.waitForURL(new RegExp(`/admin/alerts/drafts/${draft.id}$`));
    await expect.poll(() => page.getByLabel("Name").inputValue()).toBe("API is partially unavailable");
    // The worst counted alert (Alertmanager's example is critical) sets the drafted status.
    expect(await page.getByRole("combobox", { name: /^API\b/ }).inputValue()).toBe("major_outage");
    await page.getByRole("button", { name: "Preview" }).click();
    const mailPreview = page.locator("#draft-mail-preview");
    await expect.poll(() => mailPreview.textContent()).toContain("[Investigating] API is partially unavailable");
    expect(await page.locator("#body-preview").innerHTML()).toContain("<strong>API</strong>");
    expect(await axeViolations(page), "draft screen").toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}/console-drafts-review.png`, fullPage: true });

    await page.getByRole("button", { name: "Publish incident" }).click();
    await page.waitForURL(/\/admin\/incidents\/\w+\?done=opened/);
    const incidentId = /incidents\/(\w+)/.exec(page.url())?.[1] ?? "";
    const shown = await api<{ state: string; incident_id: string }>("GET", `/api/alert-drafts/${draft.id}`);
    expect(shown).toMatchObject({ state: "published", incident_id: incidentId });

    await eventually(
      async () => (await fetch(`${herald.url}/`)).text(),
      (home) => home.includes("API is partially unavailable"),
      "the public page shows the incident",
    );
    const subjects = await eventually(
      () => mailSubjects("reader@example.com"),
      (s) => s.length > 0,
      "the subscriber's mail",
    );
    // A moment more: a second mail would have come by now.
    await new Promise((r) => setTimeout(r, 1000));
    expect(await mailSubjects("reader@example.com")).toEqual(["[Investigating] API is partially unavailable"]);
    expect(subjects).toHaveLength(1);

    // Back on the dashboard, the draft no longer waits.
    await page.goto(`${herald.url}/admin`);
    expect(await page.locator('section[aria-labelledby="drafts-h"]').count()).toBe(0);
  }, 120_000);
});
