import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ParsedMail } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unstable_startWorker } from "wrangler";
import { type CliRun, runHerald } from "../helpers/herald-cli.ts";
import { startHeraldProcess } from "../helpers/herald-process.ts";
import { type SmtpSink, startSmtpSink } from "../helpers/smtp-sink.ts";
import { type Sqld, startSqld } from "../helpers/sqld.ts";

/*
 * The split layout on loopback, as the deploy guide sets it up: `herald init` a sqld database, the Worker in
 * workerd serving the API, and `herald runner` (no HTTP API) rendering the site and sending mail through a
 * real SMTP server. Every subscriber-facing link points at the Worker, not at the static page's host.
 */

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SECRET = "split-layout-secret-of-at-least-32-characters";
const PAGE_URL = "https://status.split.test";
const READER = "reader@example.com";

type Worker = Awaited<ReturnType<typeof unstable_startWorker>>;

async function startWorker(databaseUrl: string, secret: string, persist: string): Promise<Worker> {
  process.env.WRANGLER_SEND_METRICS = "false";
  process.env.WRANGLER_SEND_ERROR_REPORTS = "false";
  const worker = await unstable_startWorker({
    config: join(ROOT, "wrangler.toml"),
    bindings: {
      DATABASE_URL: { type: "plain_text", value: databaseUrl },
      HERALD_SECRET: { type: "plain_text", value: secret },
    },
    dev: { server: { hostname: "127.0.0.1", port: 0 }, inspector: false, watch: false, persist, logLevel: "warn" },
  });
  await worker.ready;
  return worker;
}

type RunnerProcess = { output: () => string; stop(): Promise<void> };

/** `herald runner` as a container would run it; resolves once its banner is out. */
async function startRunner(env: Record<string, string>): Promise<RunnerProcess> {
  const child: ChildProcess = spawn(process.execPath, ["dist/herald.mjs", "runner"], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const deadline = Date.now() + 30_000;
  while (!output.includes("Press Ctrl-C to stop")) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the runner did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

async function until<T>(what: string, check: () => Promise<T | null | undefined>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const fileText = (path: string) => readFile(path, "utf8").catch(() => null);

describe("the split layout: herald init on sqld, the Worker in workerd, herald runner", () => {
  let dir = "";
  let sqld: Sqld;
  let sink: SmtpSink;
  let worker: Worker | null = null;
  let api = "";
  let token = "";
  let env: Record<string, string> = {};

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "herald-split-"));
    sqld = await startSqld(dir);
    sink = await startSmtpSink(dir, { raw: true });
    worker = await startWorker(sqld.url, SECRET, join(dir, "wrangler-a"));
    api = (await worker.url).toString().replace(/\/$/, "");
    env = {
      DATABASE_URL: sqld.url,
      HERALD_SECRET: SECRET,
      HERALD_DATA: join(dir, "runner"),
      SMTP_URL: sink.url,
      MAIL_FROM: "Split Status <status@split.test>",
      HERALD_BACKUP_EVERY: "off",
    };
  });

  afterAll(async () => {
    await worker?.dispose();
    await sink?.stop();
    await sqld?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("refuses to set up or run on a remote database without HERALD_SECRET, naming it", async () => {
    const init = await runHerald(["init", "--public-url", PAGE_URL], { ...env, HERALD_SECRET: "" });
    expect(init.code).toBe(1);
    expect(init.stderr).toContain("HERALD_SECRET is not set");
  });

  it("a runner refuses a database herald init has not set up, and changes nothing", async () => {
    const runner = await runHerald(["runner"], env);
    expect(runner.code).toBe(1);
    expect(runner.stderr).toContain("`herald init`");
    const migrated = await fetch(`${sqld.url}/v2/pipeline`, {
      method: "POST",
      body: JSON.stringify({
        requests: [{ type: "execute", stmt: { sql: "SELECT count(*) FROM sqlite_master WHERE name = 'page'" } }],
      }),
    }).then((r) => r.json() as Promise<{ results: { response: { result: { rows: { value: string }[][] } } }[] }>);
    expect(migrated.results[0]?.response.result.rows[0]?.[0]?.value).toBe("0");
  });

  it("herald init sets up the database once: page, API address and a token printed once; again, it only migrates", async () => {
    const first = await runHerald(
      ["init", "--name", "Split", "--public-url", PAGE_URL, "--api-url", api, "--json"],
      env,
    );
    expect(first.code, first.stderr).toBe(0);
    const created = JSON.parse(first.stdout) as { created: boolean; admin_token: string; page: { api_url: string } };
    expect(created.created).toBe(true);
    expect(created.page.api_url).toBe(api);
    expect(created.admin_token).toMatch(/^hrld_/);
    token = created.admin_token;

    const again: CliRun = await runHerald(["init", "--public-url", PAGE_URL], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("was already set up");
    expect(again.stdout).not.toMatch(/hrld_/);

    // The Worker serves the page's API with the token; no demo components were made.
    const components = await fetch(`${api}/api/components`, { headers: { Authorization: `Bearer ${token}` } });
    expect(components.status).toBe(200);
    expect(await components.json()).toEqual([]);
  });

  it("the Node app on the same database serves the page herald init made (no demo data, the printed token works)", async () => {
    const node = await startHeraldProcess(join(dir, "node"), { ...env, HERALD_DATA: join(dir, "node") });
    try {
      expect(node.printedToken).toBeNull();
      const page = await fetch(`${node.url}/api/page`, { headers: { Authorization: `Bearer ${token}` } });
      expect(page.status).toBe(200);
      expect(await page.json()).toMatchObject({ name: "Split", url: PAGE_URL, api_url: api });
      const index = await fetch(`${node.url}/`);
      expect(await index.text()).toContain("Split");
    } finally {
      await node.stop();
    }
  });

  it("a runner or Worker with another HERALD_SECRET refuses, naming it", async () => {
    const runner = await runHerald(["runner"], { ...env, HERALD_SECRET: `${SECRET}-other` });
    expect(runner.code).toBe(1);
    expect(runner.stderr).toContain("HERALD_SECRET differs");

    const other = await startWorker(sqld.url, `${SECRET}-other`, join(dir, "wrangler-b"));
    try {
      const base = (await other.url).toString().replace(/\/$/, "");
      for (const path of ["/api/v2/status.json", "/api/components", "/subscribe"]) {
        const refused = await fetch(`${base}${path}`);
        expect(refused.status).toBe(503);
        expect(refused.headers.get("content-type")).toContain("application/problem+json");
        expect(((await refused.json()) as { detail: string }).detail).toContain("HERALD_SECRET differs");
      }
    } finally {
      await other.dispose();
    }
  });

  it("the runner renders the site and mails through SMTP for changes made on the Worker; every link points at the API", async () => {
    const runner = await startRunner(env);
    try {
      const site = join(env.HERALD_DATA ?? "", "site");
      const form = await until("the subscribe page", () => fileText(join(site, "subscribe", "index.html")));
      expect(form).toContain(`action="${api}/subscribe"`);
      expect(form).toContain(`form-action 'self' ${new URL(api).origin}`);

      // Subscribe on the Worker, as the static page's form posts; the runner mails the confirmation.
      const subscribed = await fetch(`${api}/subscribe`, {
        method: "POST",
        body: new URLSearchParams([
          ["email", READER],
          ["scope", "all"],
        ]),
      });
      expect(subscribed.status, await subscribed.clone().text()).toBe(200);
      const mailsTo = async (count: number) => {
        const mails = (await sink.mails()).filter((m: ParsedMail) => m.to && JSON.stringify(m.to).includes(READER));
        return mails.length >= count ? mails : null;
      };
      const [confirmation] = await until("the confirmation mail", () => mailsTo(1));
      const confirmLink = /(https?:\/\/\S+\/subscribe\/confirm\?token=[\w.%-]+)/.exec(confirmation?.text ?? "")?.[1];
      expect(confirmLink?.startsWith(`${api}/subscribe/confirm?`)).toBe(true);
      const confirmed = await fetch(confirmLink ?? "", { method: "POST" });
      expect(await confirmed.text()).toContain("You&#39;re subscribed");

      // An incident opened on the Worker reaches the page and the subscriber through the runner.
      const opened = await fetch(`${api}/api/incidents`, {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body: JSON.stringify({ name: "Checkout is failing", body: "We are looking into failed checkouts." }),
      });
      expect(opened.status, await opened.clone().text()).toBe(201);
      const incident = (await opened.json()) as { id: string };
      const page = await until("the incident page", () => fileText(join(site, "incidents", incident.id, "index.html")));
      expect(page).toContain("Checkout is failing");
      const index = await until("the index naming the incident", async () => {
        const html = await fileText(join(site, "index.html"));
        return html?.includes("Checkout is failing") ? html : null;
      });
      expect(index).toContain(PAGE_URL);

      const mails = await until("the incident mail", () => mailsTo(2));
      const mail = mails.find((m) => m.subject?.includes("Checkout is failing"));
      expect(mail?.text).toContain(`${PAGE_URL}/incidents/${incident.id}/`);
      expect(mail?.text).toContain(`${api}/subscribe/manage?token=`);
      const listUnsubscribe = (mail?.headerLines.find((h) => h.key === "list-unsubscribe")?.line ?? "").replace(
        /\r?\n[ \t]+/g,
        "",
      );
      const oneClick = /<(http[^>]+)>/.exec(listUnsubscribe)?.[1];
      expect(oneClick?.startsWith(`${api}/subscribe/unsubscribe?`), listUnsubscribe).toBe(true);
      // The one-click POST (RFC 8058) on the Worker unsubscribes.
      const unsubscribed = await fetch(oneClick ?? "", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: "List-Unsubscribe=One-Click",
      });
      expect(unsubscribed.status).toBe(200);
      const subscribers = (await (
        await fetch(`${api}/api/subscribers`, { headers: { Authorization: `Bearer ${token}` } })
      ).json()) as { address: string; state: string }[];
      expect(subscribers.find((s) => s.address === READER)?.state).toBe("unsubscribed");
    } finally {
      await runner.stop();
    }
    expect(runner.output()).toContain("Herald runner: stopped.");
  }, 90_000);
});
