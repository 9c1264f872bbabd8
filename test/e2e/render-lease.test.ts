import { access, mkdir, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../core/actions/clock.ts";
import { paths } from "../../core/public/paths.ts";
import { createDb, type Db } from "../../db/client.ts";
import { routeFile } from "../../jobs/render/index.ts";
import { openIncidentNow } from "../helpers/actions.ts";
import { contextFor } from "../helpers/database.ts";
import { runHerald } from "../helpers/herald-cli.ts";
import { canPlayAnotherMachine, type HeraldProcess, startHeraldProcess } from "../helpers/herald-process.ts";
import { type Sqld, startSqld } from "../helpers/sqld.ts";

/*
 * Rendering past one machine (docs/operations.md, "Two runners"): two built Herald processes, each with
 * its own data folder, on one libSQL database. Only the holder of the render lease renders; when it is
 * SIGKILLed the standby takes over, renders the whole site into its own folder and then every change.
 * Timings as configured here: heartbeat 200 ms, takeover 3 s (production: 2 s and 10 s). First
 * `herald start` twice on a libSQL file; then the split layout: `herald init` on sqld (the Turso
 * protocol), two `herald runner`s, the holder playing another machine, incidents written to the database
 * as the Worker writes them.
 */

const TOKEN = "render-lease-test-admin-token-0123456789";
const INCIDENTS = 8;
let dir: string;
let env: Record<string, string>;
const runners: HeraldProcess[] = [];
const opened: { id: string; name: string }[] = [];

const folder = (name: string) => join(dir, name);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function start(
  name: string,
  options: { hostname?: string; command?: "start" | "runner" } = {},
): Promise<HeraldProcess> {
  const runner = await startHeraldProcess(folder(name), env, 30_000, options);
  runners.push(runner);
  return runner;
}

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

const read = (file: string) => readFile(file, "utf8").catch(() => "");
const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

/** Whether a data folder's live site has every incident opened so far, and the latest on its index and summary.json. */
async function siteHasEverything(name: string): Promise<boolean> {
  const site = join(folder(name), "site");
  for (const incident of opened) if (!(await exists(routeFile(site, paths.incident(incident.id))))) return false;
  const latest = opened.at(-1);
  if (!latest) return true;
  const index = await read(join(site, "index.html"));
  const summary = await read(join(site, "api", "v2", "summary.json"));
  return index.includes(latest.name) && summary.includes(latest.id);
}

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`${what} did not happen within ${timeoutMs} ms.`);
    await sleep(50);
  }
  return Date.now() - started;
}

/** A standby renders nothing: no live site and no release in its folder. */
async function renderedNothing(name: string): Promise<boolean> {
  const releases = await readdir(join(folder(name), "releases")).catch(() => []);
  return !(await exists(join(folder(name), "site"))) && releases.length === 0;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "herald-render-lease-"));
  env = {
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
  await rm(dir, { recursive: true, force: true });
});

describe("two runners on one database", () => {
  let holder: HeraldProcess;
  let standby: HeraldProcess;

  it(`only the holder renders: after ${INCIDENTS} incidents opened through both APIs its site has them all; the standby rendered nothing`, async () => {
    holder = await start("a");
    standby = await start("b");
    expect(standby.output()).toMatch(/another runner holds the render lease/);
    for (let n = 1; n <= INCIDENTS; n++) await openIncident(n % 2 ? holder : standby, `Incident number ${n}`);
    await until(() => siteHasEverything("a"), 20_000, "The holder's site showing every incident");
    expect(await renderedNothing("b")).toBe(true);
    expect(standby.output()).not.toMatch(/rendering the whole site/);
  }, 90_000);

  it("the holder SIGKILLed, the standby takes over, renders everything, then a new incident", async () => {
    const killedAt = Date.now();
    await holder.stop("SIGKILL");
    const caughtUpMs = await until(() => siteHasEverything("b"), 30_000, "The standby's site showing every incident");
    console.log(
      `render lease: the standby's site had all ${INCIDENTS} incidents ${Date.now() - killedAt} ms after the SIGKILL`,
    );
    // Seconds here; the bound is loose for a loaded CI machine (a full render of a small site included).
    expect(caughtUpMs).toBeLessThan(20_000);
    expect(standby.output()).toMatch(/took over the render lease/);
    expect(standby.output()).toMatch(/rendering the whole site \(no release yet\)/);
    const id = await openIncident(standby, "Opened after the takeover");
    const shownMs = await until(() => siteHasEverything("b"), 10_000, "The new incident on the new holder's site");
    console.log(`render lease: an incident opened after the takeover was on the new holder's site in ${shownMs} ms`);
    const summary = JSON.parse(await read(join(folder("b"), "site", "api", "v2", "summary.json")));
    expect(summary.incidents.map((incident: { id: string }) => incident.id)).toContain(id);
  }, 90_000);

  it("a third runner starting leaves the holder's lease alone, and takes over at once on its graceful stop", async () => {
    const third = await start("c");
    expect(third.output()).toMatch(/another runner holds the render lease/);
    await openIncident(standby, "While a third runner stands by");
    await until(() => siteHasEverything("b"), 10_000, "The incident on the holder's site");
    expect(await renderedNothing("c")).toBe(true);
    const stoppedAt = Date.now();
    expect(await standby.stop("SIGINT")).toBe(0);
    await until(() => siteHasEverything("c"), 30_000, "The third runner's site showing every incident");
    console.log(
      `render lease: after a graceful stop the next runner's site was complete in ${Date.now() - stoppedAt} ms`,
    );
  }, 90_000);
});

describe.runIf(canPlayAnotherMachine())(
  "the split layout: two herald runners on sqld, the holder on another machine",
  () => {
    let holder: HeraldProcess;
    let standby: HeraldProcess;
    let sqld: Sqld;
    let db: Db;

    beforeAll(async () => {
      await mkdir(folder("sqld"));
      sqld = await startSqld(folder("sqld"));
      env = {
        DATABASE_URL: sqld.url,
        HERALD_SECRET: "render-lease-test-secret-0123456789abcdef",
        HERALD_RUNNER_HEARTBEAT_MS: "200",
        HERALD_RUNNER_TAKEOVER_MS: "3000",
        HERALD_BACKUP_EVERY: "0",
        HERALD_SENDER: "off",
      };
      const init = await runHerald(["init", "--page-url", "https://status.lease.test"], {
        ...env,
        HERALD_DATA: folder("init"),
      });
      expect(init.code, init.stderr).toBe(0);
      db = createDb({ url: sqld.url });
      opened.length = 0;
    }, 60_000);
    afterAll(async () => {
      for (const runner of runners.splice(0)) await runner.stop("SIGKILL");
      db?.$client.close();
      await sqld?.stop();
    });

    /** An incident written as the Worker writes it: the change and its outbox jobs in one batch. */
    async function openOnTheDatabase(name: string): Promise<void> {
      const incident = await openIncidentNow(contextFor(db, systemClock), { name });
      opened.push({ id: incident.id, name });
    }

    it("the standby waits while the holder beats, and takes over once it has been silent for the takeover time", async () => {
      holder = await start("remote-holder", { hostname: "render-host-elsewhere", command: "runner" });
      standby = await start("local-standby", { command: "runner" });
      expect(standby.output()).toMatch(/another runner holds the render lease/);
      for (let n = 1; n <= 3; n++) await openOnTheDatabase(`Elsewhere number ${n}`);
      await until(() => siteHasEverything("remote-holder"), 20_000, "The holder's site showing every incident");
      // Several takeover times with the holder alive: the standby never takes over.
      await sleep(2 * 3000);
      expect(await renderedNothing("local-standby")).toBe(true);
      const killedAt = Date.now();
      await holder.stop("SIGKILL");
      const tookMs = await until(() => siteHasEverything("local-standby"), 30_000, "The standby's site");
      console.log(
        `render lease: a holder on another machine SIGKILLed; the standby's site was complete ${Date.now() - killedAt} ms later (takeover 3000 ms)`,
      );
      // Not before the holder's last heartbeat is a takeover time old; well within it plus a full render.
      expect(tookMs).toBeGreaterThanOrEqual(3000 - 2 * 200);
      expect(tookMs).toBeLessThan(3000 + 20_000);
      await openOnTheDatabase("Opened after the takeover, on the database");
      await until(() => siteHasEverything("local-standby"), 10_000, "The new incident on the new holder's site");
    }, 120_000);
  },
);
