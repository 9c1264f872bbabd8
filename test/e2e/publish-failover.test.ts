import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type HeraldProcess, startHeraldProcess } from "../helpers/herald-process.ts";
import { type S3Server, startS3Server } from "../helpers/s3-server.ts";

/*
 * Fault (issue 21, item 9): the render lease's holder SIGKILLed in the middle of publishing to object
 * storage. Two built Herald processes on one database publish to a real S3-compatible server (s3rver,
 * each write held back 150 ms so a publish takes long enough to be caught in the middle); a reader polls
 * the bucket the whole time. The standby takes over, renders and publishes; no reader ever sees a page
 * linking to an object that is not there, and the bucket ends with every incident.
 */

const TOKEN = "publish-failover-test-admin-token-0123456";
const PREFIX = "status/";
let dir: string;
let s3: S3Server;
let env: Record<string, string>;
const runners: HeraldProcess[] = [];
const opened: { id: string; name: string }[] = [];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function openIncident(via: HeraldProcess, name: string): Promise<string> {
  const response = await fetch(`${via.url}/api/incidents`, {
    method: "POST",
    headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" },
    body: JSON.stringify({ name }),
  });
  expect(response.status).toBe(201);
  const { id } = (await response.json()) as { id: string };
  opened.push({ id, name });
  return id;
}

/**
 * A reader's GET; s3rver's in-place writes can tear a read of the object being written (a 5xx, a cut
 * connection, fewer bytes than its length: see S3Server's `whole`): read again. A 404 is never retried.
 */
async function readerGet(key: string): Promise<{ status: number; body: string }> {
  for (let attempt = 0; ; attempt++) {
    const found = await s3.get(PREFIX + key).catch(() => null);
    if ((found?.whole && found.status < 500) || attempt === 20) return found ?? { status: 599, body: "" };
    await sleep(5);
  }
}

function linkedKeys(html: string): string[] {
  const keys = new Set<string>();
  for (const [, target = ""] of html.matchAll(/\s(?:href|src)="(\/(?!\/)[^"#?]*)"/g))
    keys.add(target.endsWith("/") ? `${target.slice(1)}index.html` : target.slice(1));
  return [...keys];
}

/** Whether the bucket has every incident opened so far, and the latest on its index and in summary.json. */
async function bucketHasEverything(): Promise<boolean> {
  const keys = new Set(await s3.keys());
  for (const incident of opened) if (!keys.has(`${PREFIX}incidents/${incident.id}/index.html`)) return false;
  const latest = opened.at(-1);
  if (!latest) return true;
  const [index, summary] = await Promise.all([readerGet("index.html"), readerGet("api/v2/summary.json")]);
  return index.body.includes(latest.name) && summary.body.includes(latest.id);
}

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`${what} did not happen within ${timeoutMs} ms.`);
    await sleep(20);
  }
  return Date.now() - started;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "herald-publish-failover-"));
  s3 = await startS3Server(join(dir, "s3"), { putDelayMs: 150 });
  env = {
    ...s3.env(PREFIX),
    DATABASE_URL: `file:${join(dir, "herald.db")}`,
    HERALD_ADMIN_TOKEN: TOKEN,
    HERALD_RUNNER_HEARTBEAT_MS: "200",
    HERALD_RUNNER_TAKEOVER_MS: "3000",
    HERALD_BACKUP_EVERY: "0",
    HERALD_SENDER: "off",
  };
}, 60_000);

afterAll(async () => {
  for (const runner of runners) await runner.stop("SIGKILL");
  await s3?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("the render lease's holder SIGKILLed mid-publish to object storage", () => {
  it("the standby finishes the publish; a reader polling the bucket never sees a page linking to a missing object", async () => {
    const holder = await startHeraldProcess(join(dir, "a"), env);
    runners.push(holder);
    const standby = await startHeraldProcess(join(dir, "b"), env);
    runners.push(standby);
    expect(standby.output()).toMatch(/another runner holds the render lease/);
    for (let n = 1; n <= 3; n++) await openIncident(holder, `Before the kill ${n}`);
    await until(bucketHasEverything, 30_000, "The bucket showing the first incidents");

    const problems: string[] = [];
    let reads = 0;
    let reading = true;
    const reader = (async () => {
      while (reading) {
        const index = await readerGet("index.html");
        reads++;
        if (index.status !== 200) problems.push(`index.html: ${index.status}`);
        const summary = await readerGet("api/v2/summary.json");
        try {
          JSON.parse(summary.body);
        } catch {
          problems.push(`summary.json is not whole JSON (${summary.status}, ${summary.body.length} bytes)`);
        }
        for (const key of linkedKeys(index.body)) {
          const linked = await readerGet(key);
          reads++;
          if (linked.status !== 200) problems.push(`index.html links ${key}: ${linked.status}`);
        }
      }
    })();

    // Kill the holder once the new incident's page is in the bucket and the index is not yet: mid-publish.
    const id = await openIncident(holder, "Opened just before the holder dies");
    await until(
      async () => (await s3.keys()).includes(`${PREFIX}incidents/${id}/index.html`),
      20_000,
      "The new incident's page reaching the bucket",
    );
    const indexAtKill = await readerGet("index.html");
    const killedAt = Date.now();
    await holder.stop("SIGKILL");
    expect(indexAtKill.body, "the kill came after the index was published").not.toContain(
      "Opened just before the holder dies",
    );

    const tookMs = await until(bucketHasEverything, 60_000, "The standby publishing everything");
    console.log(`publish failover: the bucket had every incident ${Date.now() - killedAt} ms after the SIGKILL`);
    expect(tookMs).toBeLessThan(45_000);
    await openIncident(standby, "Opened after the takeover");
    await until(bucketHasEverything, 20_000, "An incident opened after the takeover reaching the bucket");

    reading = false;
    await reader;
    expect(problems).toEqual([]);
    expect(reads).toBeGreaterThan(20);
  }, 180_000);
});
