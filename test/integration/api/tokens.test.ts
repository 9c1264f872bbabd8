import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../../../api/app.ts";
import { FAILED_AUTH_LIMIT } from "../../../api/middleware/auth.ts";
import type { Problem } from "../../../api/problem.ts";
import type { AuditEntry } from "../../../core/audit/list-audit.ts";
import { authenticate } from "../../../core/tokens/authenticate.ts";
import type { CreatedToken } from "../../../core/tokens/create-token.ts";
import { ensureAdminToken } from "../../../core/tokens/ensure-admin-token.ts";
import type { TokenSummary } from "../../../core/tokens/list-tokens.ts";
import { createDb } from "../../../db/client.ts";
import { apiTokens, rateLimits } from "../../../db/schema.ts";
import { createTestApi, type TestApi, type TestApp } from "../../helpers/api.ts";
import { contextFor } from "../../helpers/database.ts";
import { startHeraldProcess } from "../../helpers/herald-process.ts";
import { nodeOnly, ON_WORKERD } from "../../helpers/runtime.ts";

let api: TestApi;

beforeEach(async () => {
  api = await createTestApi();
});
afterEach(() => api.cleanup());

const bearer = (secret: string) => ({ Authorization: `Bearer ${secret}` });
const lastUsed = async (id: string) =>
  (await api.db.select({ at: apiTokens.lastUsedAt }).from(apiTokens).where(eq(apiTokens.id, id)))[0]?.at;

async function newToken(role: "admin" | "commander" | "viewer", name = `${role} bot`): Promise<CreatedToken> {
  const created = await api.request<CreatedToken>("POST", "/api/tokens", { as: "admin", json: { name, role } });
  expect(created.status).toBe(201);
  return created.body;
}

describe("listing and revoking API tokens", () => {
  it("lists every token with its name, role and times, never its secret nor the secret's hash", async () => {
    const bot = await newToken("viewer", "uptime bot");
    const listed = await api.request<TokenSummary[]>("GET", "/api/tokens", { as: "admin" });
    expect(listed.status).toBe(200);
    expect(listed.body.map((t) => t.name).sort()).toEqual(["admin", "commander", "uptime bot", "viewer"]);
    for (const token of listed.body) {
      expect(Object.keys(token).sort()).toEqual(
        [
          "created_at",
          "from_environment",
          "id",
          "last_used_at",
          "name",
          "owner",
          "owner_person_id",
          "revoked_at",
          "role",
        ].sort(),
      );
    }
    const text = JSON.stringify(listed.body);
    const hashes = await api.db.select({ hash: apiTokens.tokenHash }).from(apiTokens);
    for (const secret of [...Object.values(api.tokens), bot.token]) expect(text).not.toContain(secret);
    for (const { hash } of hashes) expect(text).not.toContain(hash);
    expect(text).not.toContain("hrld_");
  });

  it("only an admin token may list or revoke tokens", async () => {
    expect((await api.request("GET", "/api/tokens", { as: "commander" })).status).toBe(403);
    const bot = await newToken("viewer");
    expect((await api.request("DELETE", `/api/tokens/${bot.id}`, { as: "commander" })).status).toBe(403);
  });

  it("a revoked token stops working on its very next request, and the revocation is audited", async () => {
    const bot = await newToken("commander", "deploy bot");
    expect((await api.app.request("/api/components", { headers: bearer(bot.token) })).status).toBe(200);

    api.clock.advance(5_000);
    const revoked = await api.request("DELETE", `/api/tokens/${bot.id}`, { as: "admin" });
    expect(revoked.status).toBe(204);

    const next = await api.app.request("/api/components", { headers: bearer(bot.token) });
    expect(next.status).toBe(401);
    expect(next.headers.get("content-type")).toMatch(/^application\/problem\+json/);

    const listed = await api.request<TokenSummary[]>("GET", "/api/tokens", { as: "admin" });
    expect(listed.body.find((t) => t.id === bot.id)?.revoked_at).toBe(api.clock.now().toISOString());
    const audit = await api.request<AuditEntry[]>("GET", "/api/audit", { as: "admin" });
    expect(audit.body[0]).toMatchObject({
      action: "token.revoke",
      target_type: "api_token",
      target_id: bot.id,
      details: { name: "deploy bot", role: "commander" },
    });
    expect(audit.body[0]?.actor).toContain("admin");
  });

  it("revoking twice changes nothing; an unknown id is a 404; the last admin token cannot be revoked", async () => {
    const bot = await newToken("viewer");
    expect((await api.request("DELETE", `/api/tokens/${bot.id}`, { as: "admin" })).status).toBe(204);
    expect((await api.request("DELETE", `/api/tokens/${bot.id}`, { as: "admin" })).status).toBe(204);
    const audit = await api.request<AuditEntry[]>("GET", "/api/audit", { as: "admin" });
    expect(audit.body.filter((e) => e.action === "token.revoke")).toHaveLength(1);

    expect((await api.request("DELETE", "/api/tokens/zzzzzzzzzzzz", { as: "admin" })).status).toBe(404);

    const [admin] = await api.db.select().from(apiTokens).where(eq(apiTokens.name, "admin"));
    const last = await api.request<Problem>("DELETE", `/api/tokens/${admin?.id}`, { as: "admin" });
    expect(last.status).toBe(409);
    expect(last.body.detail).toMatch(/last working admin token/);
    expect((await api.request("GET", "/api/tokens", { as: "admin" })).status).toBe(200);
  });

  it("the OpenAPI document describes listing, creating and revoking tokens", async () => {
    const doc = (await (await api.app.request("/api/openapi.json")).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(doc.paths["/api/tokens"] ?? {}).sort()).toEqual(["get", "post"]);
    expect(Object.keys(doc.paths["/api/tokens/{id}"] ?? {}).sort()).toEqual(["delete", "patch"]);
  });
});

describe("last_used_at", () => {
  it("is set on a token's first use and not rewritten within the next minute", async () => {
    const bot = await newToken("viewer");
    expect(await lastUsed(bot.id)).toBeNull();
    const used = api.clock.now().toISOString();
    await api.app.request("/api/components", { headers: bearer(bot.token) });
    await expect.poll(() => lastUsed(bot.id)).toBe(used);

    api.clock.advance(59_000);
    await api.app.request("/api/components", { headers: bearer(bot.token) });
    await new Promise((r) => setTimeout(r, 50));
    expect(await lastUsed(bot.id)).toBe(used);

    api.clock.advance(1_000);
    const later = api.clock.now().toISOString();
    await api.app.request("/api/components", { headers: bearer(bot.token) });
    await expect.poll(() => lastUsed(bot.id)).toBe(later);

    const listed = await api.request<TokenSummary[]>("GET", "/api/tokens", { as: "admin" });
    expect(listed.body.find((t) => t.id === bot.id)?.last_used_at).toBe(later);
  });

  it("a wrong or revoked token does not touch it", async () => {
    const bot = await newToken("viewer");
    await api.request("DELETE", `/api/tokens/${bot.id}`, { as: "admin" });
    await api.app.request("/api/components", { headers: bearer(bot.token) });
    await new Promise((r) => setTimeout(r, 50));
    expect(await lastUsed(bot.id)).toBeNull();
  });
});

describe("HERALD_ADMIN_TOKEN", () => {
  const FIRST = "first-environment-secret-0123456789";
  const SECOND = "second-environment-secret-0123456789";

  it("a changed value revokes the token the previous value ensured, and neither secret is handed back", async () => {
    const ctx = contextFor(api.db, api.clock);
    const first = await ensureAdminToken(ctx, FIRST);
    expect(first).toEqual({ generated: null, revoked: [], environmentTokenRevoked: false });
    const firstToken = await authenticate(api.db, FIRST);
    expect(firstToken?.actor.role).toBe("admin");

    expect(await ensureAdminToken(ctx, FIRST)).toEqual({
      generated: null,
      revoked: [],
      environmentTokenRevoked: false,
    });

    api.clock.advance(60_000);
    const second = await ensureAdminToken(ctx, SECOND);
    expect(second.generated).toBeNull();
    expect(second.revoked).toEqual([firstToken?.actor.id]);
    expect(await authenticate(api.db, FIRST)).toBeNull();
    expect((await api.app.request("/api/tokens", { headers: bearer(FIRST) })).status).toBe(401);
    expect((await api.app.request("/api/tokens", { headers: bearer(SECOND) })).status).toBe(200);

    const listed = await api.request<TokenSummary[]>("GET", "/api/tokens", { as: "admin" });
    const fromEnvironment = listed.body.filter((t) => t.from_environment);
    expect(fromEnvironment.map((t) => [t.id === firstToken?.actor.id, t.revoked_at !== null])).toEqual([
      [true, true],
      [false, false],
    ]);
    const audit = await api.request<AuditEntry[]>("GET", "/api/audit", { as: "admin" });
    expect(audit.body[0]).toMatchObject({ action: "token.rotate_environment", details: { revoked: second.revoked } });

    // Going back to a revoked value does not bring it back to life.
    expect((await ensureAdminToken(ctx, FIRST)).environmentTokenRevoked).toBe(true);
    expect(await authenticate(api.db, FIRST)).toBeNull();
    expect(await authenticate(api.db, SECOND)).not.toBeNull();
  });

  nodeOnly("starts the built Node server").it(
    "rotating it between two starts of the built server revokes the old one, and no start prints either",
    async () => {
      const dataDir = await mkdtemp(join(tmpdir(), "herald-tokens-"));
      try {
        const first = await startHeraldProcess(dataDir, { HERALD_ADMIN_TOKEN: FIRST });
        const firstOutput = first.output();
        const firstWorks = (await fetch(`${first.url}/api/tokens`, { headers: bearer(FIRST) })).status;
        await first.stop();

        const second = await startHeraldProcess(dataDir, { HERALD_ADMIN_TOKEN: SECOND });
        const oldOne = await fetch(`${second.url}/api/tokens`, { headers: bearer(FIRST) });
        const newOne = await fetch(`${second.url}/api/tokens`, { headers: bearer(SECOND) });
        const listed = (await newOne.json()) as TokenSummary[];
        // The Node server limits wrong tokens by the socket's address.
        const wrong: number[] = [];
        for (let i = 0; i <= FAILED_AUTH_LIMIT.limit; i++) {
          wrong.push((await fetch(`${second.url}/api/tokens`, { headers: bearer(`wrong-${i}`) })).status);
        }
        const secondOutput = second.output();
        await second.stop();

        expect(firstWorks).toBe(200);
        expect(oldOne.status).toBe(401);
        // The old secret's try counts as a failure too: 19 more 401s, then 429s.
        expect(wrong.slice(0, FAILED_AUTH_LIMIT.limit - 1).every((s) => s === 401)).toBe(true);
        expect(wrong.slice(FAILED_AUTH_LIMIT.limit - 1)).toEqual([429, 429]);
        expect(newOne.status).toBe(200);
        expect(listed.filter((t) => t.from_environment).map((t) => t.revoked_at === null)).toEqual([false, true]);
        expect(first.printedToken).toBeNull();
        expect(second.printedToken).toBeNull();
        for (const output of [firstOutput, secondOutput]) {
          expect(output).not.toContain(FIRST);
          expect(output).not.toContain(SECOND);
        }
        expect(secondOutput).toContain("HERALD_ADMIN_TOKEN changed");
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    },
  );
});

describe("failed authentications are rate-limited per client address", () => {
  const fromAddress = (address: string, secret: string) => ({
    headers: { ...bearer(secret), "X-Test-Address": address },
  });
  /** On Node an app that reads the test's address header; on the Worker, the address as Cloudflare's edge names it. */
  const appOn = (db = api.db): TestApp =>
    ON_WORKERD
      ? {
          request(path, init = {}) {
            const headers = new Headers(init.headers);
            headers.set("CF-Connecting-IP", headers.get("X-Test-Address") ?? "");
            return api.app.request(path, { ...init, headers });
          },
        }
      : createApp({ db, clock: api.clock, clientAddress: (c) => c.req.header("X-Test-Address"), log: () => {} });

  nodeOnly("500 at once exceed sqld's 128 concurrent requests, whose HTTP 429 the Worker answers with a 500").it(
    "500 wrong tokens at once meet a 429 with Retry-After after the limit, even for a valid token",
    async () => {
      const app = appOn();
      const responses = await Promise.all(
        Array.from({ length: 500 }, (_, i) =>
          app.request("/api/incidents", fromAddress("203.0.113.7", `hrld_guess${i}`)),
        ),
      );
      const statuses = responses.map((r) => r.status);
      expect(statuses.filter((s) => s === 401)).toHaveLength(FAILED_AUTH_LIMIT.limit);
      expect(statuses.filter((s) => s === 429)).toHaveLength(500 - FAILED_AUTH_LIMIT.limit);

      const limited = await app.request("/api/incidents", fromAddress("203.0.113.7", api.tokens.admin));
      expect(limited.status).toBe(429);
      expect(limited.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(Number(limited.headers.get("retry-after"))).toBeLessThanOrEqual(60);
      expect(limited.headers.get("cache-control")).toBe("no-store");
      expect(((await limited.json()) as Problem).type).toBe("/problems/too-many-requests");

      // Another address is not affected; the limited one works again once its window is over.
      expect((await app.request("/api/incidents", fromAddress("198.51.100.1", api.tokens.admin))).status).toBe(200);
      api.clock.advance(FAILED_AUTH_LIMIT.windowMs);
      expect((await app.request("/api/incidents", fromAddress("203.0.113.7", api.tokens.admin))).status).toBe(200);
    },
  );

  nodeOnly("builds a second Node app on the same database").it(
    "the limit is shared by two app instances on the same database, as Worker isolates would share it",
    async () => {
      const otherDb = createDb({ url: api.url });
      try {
        const apps = [appOn(), appOn(otherDb)];
        const statuses: number[] = [];
        for (let i = 0; i < 60; i++) {
          const app = apps[i % 2];
          statuses.push(
            (await app?.request("/api/incidents", fromAddress("2001:db8::7", `hrld_guess${i}`)))?.status ?? 0,
          );
        }
        expect(statuses.filter((s) => s === 401)).toHaveLength(FAILED_AUTH_LIMIT.limit);
        expect(statuses.slice(FAILED_AUTH_LIMIT.limit).every((s) => s === 429)).toBe(true);
        // Another address in the same IPv6 /64 is the same client.
        const neighbour = await apps[1]?.request("/api/incidents", fromAddress("2001:db8::8", api.tokens.admin));
        expect(neighbour?.status).toBe(429);
      } finally {
        otherDb.$client.close();
      }
    },
  );

  it("counters of windows that are over are deleted, so the table does not grow forever", async () => {
    const app = appOn();
    for (const address of ["192.0.2.1", "192.0.2.2", "192.0.2.3"]) {
      await app.request("/api/incidents", fromAddress(address, "hrld_wrong"));
    }
    expect(await api.db.select().from(rateLimits)).toHaveLength(3);
    api.clock.advance(FAILED_AUTH_LIMIT.windowMs + 1);
    await app.request("/api/incidents", fromAddress("192.0.2.4", "hrld_wrong"));
    expect((await api.db.select({ key: rateLimits.key }).from(rateLimits)).map((r) => r.key)).toEqual([
      "auth-fail:192.0.2.4",
    ]);
  });
});

describe("admin API responses are never cached", () => {
  it("every admin response carries Cache-Control: no-store, errors and a new token's secret included", async () => {
    const created = await api.app.request("/api/tokens", {
      method: "POST",
      headers: { ...bearer(api.tokens.admin), "Content-Type": "application/json" },
      body: JSON.stringify({ name: "ci", role: "viewer" }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as CreatedToken;
    const responses: [string, Response][] = [
      ["201 with a secret", created],
      ["list", await api.app.request("/api/tokens", { headers: bearer(api.tokens.admin) })],
      ["revoke", await api.app.request(`/api/tokens/${id}`, { method: "DELETE", headers: bearer(api.tokens.admin) })],
      ["no token", await api.app.request("/api/components")],
      ["wrong token", await api.app.request("/api/components", { headers: bearer("hrld_wrong") })],
      ["forbidden", await api.app.request("/api/tokens", { headers: bearer(api.tokens.viewer) })],
      ["unknown route", await api.app.request("/api/nothing-here", { headers: bearer(api.tokens.admin) })],
      [
        "invalid body",
        await api.app.request("/api/components", {
          method: "POST",
          headers: { ...bearer(api.tokens.admin), "Content-Type": "application/json" },
          body: "{}",
        }),
      ],
      [
        "too large",
        await api.app.request("/api/components", {
          method: "POST",
          headers: { ...bearer(api.tokens.admin), "Content-Type": "application/json" },
          body: "x".repeat(300 * 1024),
        }),
      ],
    ];
    expect(responses.map(([what, r]) => [what, r.headers.get("cache-control")])).toEqual(
      responses.map(([what]) => [what, "no-store"]),
    );
    expect(responses.map(([, r]) => r.status)).toEqual([201, 200, 204, 401, 401, 403, 404, 422, 413]);

    for (const path of ["/api/v2/summary.json", "/api/openapi.json"]) {
      const response = await api.app.request(path);
      expect(response.status).toBe(200);
      expect(response.headers.get("cache-control") ?? "").not.toContain("no-store");
    }
  });
});
