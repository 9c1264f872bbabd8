import { mkdir, realpath } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createApp } from "../../api/app.ts";
import type { ActionContext } from "../../core/actions/context.ts";
import { run } from "../../core/actions/run.ts";
import { createToken } from "../../core/tokens/create-token.ts";
import { createRenderer, currentSiteDir, type Renderer } from "../../jobs/render/index.ts";
import { contextFor, createTestDb, manualClock, setupPage, type TestDb } from "./database.ts";
import { startRenderJobs } from "./render-jobs.ts";

const SITE_DIST = fileURLToPath(new URL("../../site/dist", import.meta.url));

export type LiveHerald = TestDb & {
  clock: ReturnType<typeof manualClock>;
  /** The system actor's context, waking the runner after each commit as the API's does. */
  system: ActionContext;
  renderer: Renderer;
  dataDir: string;
  /** Sends an admin API request; returns the status and parsed body. */
  request<T>(method: string, path: string, json?: unknown): Promise<{ status: number; body: T }>;
  /** Resolves once every render job has run and the pages that follow a change are written. */
  settled(): Promise<void>;
  /** The live release folder (the target of the `site` symlink). */
  liveSite(): Promise<string>;
  close(): Promise<void>;
};

/**
 * Herald's moving parts in this process, wired as `herald start` wires them: the API app, the outbox job
 * runner woken after each commit, and the content renderer it drives, on a real libSQL file. No HTTP
 * server: requests go straight to the app.
 */
export async function startLiveHerald(start = "2026-11-26T10:00:00.000Z"): Promise<LiveHerald> {
  const testDb = await createTestDb();
  const { db } = testDb;
  const clock = manualClock(start);
  await setupPage(db, clock);
  const token = (await run(contextFor(db, clock), createToken, { name: "admin", role: "admin" })).token;
  const dataDir = join(testDb.dir, "data");
  await mkdir(dataDir, { recursive: true });
  const renderer = await createRenderer({ db, dataDir, siteDist: SITE_DIST });
  await renderer.renderAll();
  const renderJobs = startRenderJobs(db, clock, renderer);
  const onCommit = () => renderJobs.runner.wake();
  const app = createApp({ db, clock, onCommit, log: () => {} });
  return {
    ...testDb,
    clock,
    system: { ...contextFor(db, clock), onCommit },
    renderer,
    dataDir,
    async request<T>(method: string, path: string, json?: unknown) {
      const response = await app.request(path, {
        method,
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body: json === undefined ? undefined : JSON.stringify(json),
      });
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
    },
    settled: () => renderJobs.settled(),
    liveSite: () => realpath(currentSiteDir(dataDir)),
    async close() {
      await renderJobs.stop();
      await testDb.cleanup();
    },
  };
}
