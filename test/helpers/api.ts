import { createApp } from "../../api/app.ts";
import type { Problem } from "../../api/problem.ts";
import type { Clock } from "../../core/actions/clock.ts";
import type { ActionContext } from "../../core/actions/context.ts";
import { run } from "../../core/actions/run.ts";
import { createToken } from "../../core/tokens/create-token.ts";
import { contextFor, createTestDb, manualClock, setupPage, type TestDb } from "./database.ts";

/** The app as a test calls it directly: `Hono#request` on Node, real HTTP to the Worker in workerd. */
export type TestApp = { request(path: string, init?: RequestInit): Response | Promise<Response> };

export type TestApi = TestDb & {
  app: TestApp;
  clock: ReturnType<typeof manualClock>;
  tokens: { admin: string; commander: string; viewer: string };
  /** What the app signs subscriber links with (`HERALD_SECRET`); undefined: the database's own key. */
  linkSecret: string | undefined;
  /** Sends a request as `as` (a role's token, or none) and returns status, headers and parsed body. */
  request<T = Problem>(
    method: string,
    path: string,
    options?: RequestOptions,
  ): Promise<{ status: number; headers: Headers; body: T }>;
};

export type RequestOptions = {
  as?: "admin" | "commander" | "viewer" | null;
  json?: unknown;
  /** The body as sent: text, or bytes (which need not be UTF-8). */
  raw?: string | Uint8Array<ArrayBuffer>;
  /** Sent with a body (default `application/json`); null: no Content-Type header. */
  contentType?: string | null;
};

/** `HERALD_ALLOW_PRIVATE_WEBHOOKS=1`, as the start-up layer reads it: a test's webhook receiver listens on loopback. */
export const PRIVATE_WEBHOOKS_ALLOWED: ActionContext["settings"] = { allowPrivateWebhooks: true };

/**
 * The app as `herald start` builds it; `settings` stands for what server/config.ts reads from the environment.
 * With `HERALD_TEST_RUNTIME=workerd` (the vitest project `workerd`), the Worker in workerd on sqld instead.
 */
export async function createTestApi(
  clock = manualClock(),
  settings: ActionContext["settings"] = undefined,
): Promise<TestApi> {
  if (process.env.HERALD_TEST_RUNTIME === "workerd") {
    const { createWorkerdTestApi } = await import("./workerd-api.ts");
    return createWorkerdTestApi(clock, settings);
  }
  const testDb = await createTestDb();
  const { db } = testDb;
  const tokens = await seedTestApi(testDb, clock);
  return testApiOver(testDb, clock, tokens, createApp({ db, clock, log: () => {}, settings }));
}

/** What every test API starts with: the page and a token of each role. */
export async function seedTestApi(testDb: TestDb, clock: ReturnType<typeof manualClock>): Promise<TestApi["tokens"]> {
  await setupPage(testDb.db, clock as Clock);
  const ctx = contextFor(testDb.db, clock);
  return {
    admin: (await run(ctx, createToken, { name: "admin", role: "admin" })).token,
    commander: (await run(ctx, createToken, { name: "commander", role: "commander" })).token,
    viewer: (await run(ctx, createToken, { name: "viewer", role: "viewer" })).token,
  };
}

/** A `TestApi` whose requests go to `app`. */
export function testApiOver(
  testDb: TestDb,
  clock: ReturnType<typeof manualClock>,
  tokens: TestApi["tokens"],
  app: TestApp,
  linkSecret?: string,
): TestApi {
  return {
    ...testDb,
    app,
    clock,
    tokens,
    linkSecret,
    async request<T>(method: string, path: string, options: RequestOptions = {}) {
      const headers: Record<string, string> = {};
      const as = options.as === undefined ? "commander" : options.as;
      if (as) headers.Authorization = `Bearer ${tokens[as]}`;
      let body: string | Uint8Array<ArrayBuffer> | undefined;
      if (options.raw !== undefined) body = options.raw;
      else if (options.json !== undefined) body = JSON.stringify(options.json);
      const contentType = options.contentType === undefined ? "application/json" : options.contentType;
      if (body !== undefined && contentType !== null) headers["Content-Type"] = contentType;
      const response = await app.request(path, { method, headers, body });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {}
      return { status: response.status, headers: response.headers, body: parsed as T };
    },
  };
}
