import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ActionContext } from "../../core/actions/context.ts";
import { commitChange, commitChanges } from "../../core/changes/commit.ts";
import { maxAttempts, outboxJob } from "../../core/changes/outbox.ts";
import type { JobView } from "../../core/jobs/job-view.ts";
import { newId } from "../../core/model/ids.ts";
import { auditLog, jobs } from "../../db/schema.ts";
import { type DueJob, type JobHandler, startJobRunner } from "../../jobs/runner.ts";
import { createTestApi, type TestApi } from "../helpers/api.ts";
import { contextFor } from "../helpers/database.ts";

let api: TestApi;
let ctx: ActionContext;

beforeEach(async () => {
  api = await createTestApi();
  ctx = contextFor(api.db, api.clock);
});
afterEach(() => api.cleanup());

async function queue(fields: Partial<typeof jobs.$inferInsert> = {}): Promise<string> {
  const id = newId();
  const now = api.clock.now().toISOString();
  await api.db
    .insert(jobs)
    .values({ id, kind: "render", dedupeKey: `test:${id}`, payload: {}, runAt: now, createdAt: now, ...fields });
  return id;
}

const allJobs = () => api.db.select().from(jobs);

const until = async (check: () => boolean | Promise<boolean>) => {
  const deadline = Date.now() + 5000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
};

function runner(render: JobHandler<"render">, options: { maxAttempts?: number } = {}) {
  return startJobRunner({
    db: api.db,
    clock: api.clock,
    pollMs: 10,
    log: () => {},
    handlers: { render, notify: async () => {}, evaluate_alerts: async () => {}, person_mail: async () => {} },
    ...(options.maxAttempts ? { maxAttempts: { render: options.maxAttempts } } : {}),
  });
}

describe("the outbox job runner", () => {
  it("runs a due job once and deletes it", async () => {
    const seen: string[] = [];
    await queue();
    const running = runner(async (due) => void seen.push(...due.map((j) => j.id)));
    await until(async () => (await allJobs()).length === 0);
    await running.stop();
    expect(seen).toHaveLength(1);
  });

  it("hands the handler the payload its change wrote, typed as its kind", async () => {
    const topics = { incidents: ["abcdefghijkl"], months: ["2026-11"] };
    await commitChange(ctx, {
      statements: [],
      audit: { action: "test", targetType: "page", targetId: "p", details: {} },
      jobs: [],
      touched: topics,
    });
    const handled: DueJob<"render">[] = [];
    const running = runner(async (due) => void handled.push(...due));
    await until(() => handled.length === 1);
    await running.stop();
    // The type says string[] | undefined; the runner checked it against the render schema.
    const incidents: string[] | undefined = handled[0]?.payload.incidents;
    expect(incidents).toEqual(["abcdefghijkl"]);
    expect(handled[0]?.payload).toEqual(topics);
  });

  it("writes a job with the same dedupe key once, even from two changes", async () => {
    const job = outboxJob("render", { full: true }, { key: "rebuild-after-upgrade" });
    const change = () => ({
      statements: [],
      audit: { action: "test", targetType: "page", targetId: "p", details: {} },
      jobs: [job],
    });
    await commitChange(ctx, change());
    await commitChange(ctx, change());
    const rows = await allJobs();
    expect(rows.map((r) => r.dedupeKey)).toEqual(["render:rebuild-after-upgrade"]);
    // Both changes still committed: the duplicate job is a no-op, not an error.
    expect((await api.db.select().from(auditLog).where(eq(auditLog.action, "test"))).length).toBe(2);
  });

  it("gives every render job its own dedupe key, so no change's render is dropped", async () => {
    const change = () => ({
      statements: [],
      audit: { action: "test", targetType: "page", targetId: "p", details: {} },
      jobs: [],
      touched: { incidents: ["aaaaaaaaaaaa"] },
    });
    await commitChange(ctx, change());
    await commitChange(ctx, change());
    expect(await allJobs()).toHaveLength(2);
  });

  it("queues one render job for changes committed together, naming what each of them touched", async () => {
    const change = (touched: { incidents?: string[]; components?: string[] }) => ({
      statements: [],
      audit: { action: "test", targetType: "page", targetId: "p", details: {} },
      jobs: [],
      touched,
    });
    await commitChanges(ctx, [
      change({ incidents: ["aaaaaaaaaaaa"], components: ["cccccccccccc"] }),
      change({ incidents: ["bbbbbbbbbbbb", "aaaaaaaaaaaa"] }),
    ]);
    const rows = await allJobs();
    expect(rows.map((r) => r.payload)).toEqual([
      { incidents: ["aaaaaaaaaaaa", "bbbbbbbbbbbb"], components: ["cccccccccccc"] },
    ]);
  });

  it("keeps a failed job and retries it after a growing backoff, recording the error", async () => {
    let calls = 0;
    await queue();
    const running = runner(async () => {
      calls++;
      if (calls <= 2) throw new Error("disk full");
    });
    await until(async () => (await allJobs())[0]?.attempts === 1);
    const [failed] = await allJobs();
    expect(failed?.state).toBe("pending");
    expect(failed?.lastError).toContain("disk full");
    expect(failed?.leaseOwner).toBeNull();
    expect(Date.parse(failed?.runAt ?? "")).toBe(api.clock.now().getTime() + 2000);
    api.clock.advance(2000);
    running.wake();
    await until(async () => (await allJobs())[0]?.attempts === 2);
    expect(Date.parse((await allJobs())[0]?.runAt ?? "")).toBe(api.clock.now().getTime() + 4000);
    api.clock.advance(4000);
    running.wake();
    await until(async () => (await allJobs()).length === 0);
    await running.stop();
    expect(calls).toBe(3);
  });

  it("declares a job dead after its kind's attempts, keeps it and stops running it", async () => {
    let calls = 0;
    const id = await queue();
    const running = runner(
      async () => {
        calls++;
        throw new Error("template missing");
      },
      { maxAttempts: 3 },
    );
    for (let attempt = 1; attempt <= 3; attempt++) {
      await until(async () => (await allJobs())[0]?.attempts === attempt);
      api.clock.advance(60_000);
      running.wake();
    }
    await new Promise((r) => setTimeout(r, 100));
    await running.stop();
    const [dead] = await allJobs();
    expect(calls).toBe(3);
    expect(dead).toMatchObject({ id, state: "dead", attempts: 3, leaseOwner: null });
    expect(dead?.lastError).toContain("template missing");
    expect(dead?.diedAt).not.toBeNull();
    expect(maxAttempts("render")).toBeGreaterThan(3);
  });

  it("declares a job whose payload is not its kind's dead at once, without running it", async () => {
    const id = await queue({ payload: { incidents: "not-a-list" } });
    let calls = 0;
    const running = runner(async () => void calls++);
    await until(async () => (await allJobs())[0]?.state === "dead");
    await running.stop();
    const [dead] = await allJobs();
    expect(calls).toBe(0);
    expect(dead?.id).toBe(id);
    expect(dead?.attempts).toBe(0);
    expect(dead?.lastError).toMatch(/not a valid render job: incidents:/);
  });

  it("runs the good jobs of a batch when one payload is unreadable", async () => {
    await queue({ payload: { unknown: true } });
    const good = await queue({ payload: { components: ["aaaaaaaaaaaa"] } });
    const handled: string[] = [];
    const running = runner(async (due) => void handled.push(...due.map((j) => j.id)));
    await until(async () => (await allJobs()).length === 1);
    await running.stop();
    expect(handled).toEqual([good]);
    expect((await allJobs())[0]?.state).toBe("dead");
  });

  it("runs again a job whose runner died holding it, once its lease expires", async () => {
    const handled: string[] = [];
    await queue({ leaseOwner: "dead-runner", leaseUntil: new Date(api.clock.now().getTime() + 60_000).toISOString() });
    const running = runner(async (due) => void handled.push(...due.map((j) => j.id)));
    await new Promise((r) => setTimeout(r, 100));
    expect(handled).toHaveLength(0);
    api.clock.advance(61_000);
    await until(() => handled.length === 1);
    await running.stop();
  });
});

describe("dead jobs in the admin API", () => {
  it("lists dead jobs with their error, and a retry runs the job again with fresh attempts", async () => {
    const dead = await queue({
      state: "dead",
      attempts: 10,
      lastError: "Error: disk full",
      diedAt: "2026-11-26T09:00:00.000Z",
    });
    await queue();

    const listed = await api.request<JobView[]>("GET", "/api/jobs?state=dead", { as: "admin" });
    expect(listed.status).toBe(200);
    expect(listed.body.map((j) => j.id)).toEqual([dead]);
    expect(listed.body[0]).toMatchObject({ kind: "render", state: "dead", attempts: 10, max_attempts: 10 });
    expect(listed.body[0]?.last_error).toContain("disk full");

    const retried = await api.request<JobView>("POST", `/api/jobs/${dead}/retry`, { as: "admin" });
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ id: dead, state: "pending", attempts: 0, died_at: null });
    expect((await api.request<JobView[]>("GET", "/api/jobs?state=dead", { as: "admin" })).body).toEqual([]);
    const [audit] = await api.db.select().from(auditLog).where(eq(auditLog.action, "job.retry"));
    expect(audit?.targetId).toBe(dead);

    const handled: string[] = [];
    const running = runner(async (due) => void handled.push(...due.map((j) => j.id)));
    await until(async () => (await allJobs()).length === 0);
    await running.stop();
    expect(handled).toContain(dead);
  });

  it("refuses to retry a job that is not dead, and an unknown job", async () => {
    const pending = await queue();
    expect((await api.request("POST", `/api/jobs/${pending}/retry`, { as: "admin" })).status).toBe(409);
    expect((await api.request("POST", "/api/jobs/nosuchjob000/retry", { as: "admin" })).status).toBe(404);
  });

  it("shows jobs only to admins and names a bad state", async () => {
    expect((await api.request("GET", "/api/jobs", { as: "commander" })).status).toBe(403);
    const bad = await api.request("GET", "/api/jobs?state=gone", { as: "admin" });
    expect(bad.status).toBe(422);
    expect(bad.body.errors?.[0]?.path).toBe("state");
  });

  it("documents the job routes in the OpenAPI document", async () => {
    const doc = await api.request<{ paths: Record<string, unknown> }>("GET", "/api/openapi.json", { as: null });
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(["/api/jobs", "/api/jobs/{id}/retry"]));
  });
});
