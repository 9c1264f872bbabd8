import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Problem } from "../../../api/problem.ts";
import type { V2Component } from "../../../core/public/statuspage.ts";
import { createTestApi, type TestApi } from "../../helpers/api.ts";
import { diffSnapshots, snapshotDb } from "../../helpers/db-snapshot.ts";

/** Bookkeeping of which token was used when, not a change. */
const IGNORED = ["api_tokens.last_used_at"];

let api: TestApi;
beforeEach(async () => {
  api = await createTestApi();
  for (const name of ["API", "Database", "Email delivery"])
    expect((await api.request("POST", "/api/components", { json: { name } })).status).toBe(201);
});
afterEach(() => api.cleanup());

describe("a component name that reads like a taken one", () => {
  it.each([
    ["Cyrillic look-alikes", "\u0410\u0420\u0406", "API"],
    ["a zero-width space", "A\u200bPI", "API"],
    ["a zero-width joiner and a word joiner", "Data\u200dba\u2060se", "Database"],
    ["fullwidth letters", "\uff21\uff30\uff29", "API"],
    ["mathematical bold letters", "\u{1d400}\u{1d40f}\u{1d408}", "API"],
    ["a lowercase l for the capital I", "APl", "API"],
    ["rn for m, in other case", "EMAIL DELIVERY".replace("M", "RN").toLowerCase(), "Email delivery"],
  ])("is refused (%s) with a 422 saying which one it looks like, writing nothing", async (_how, name, existing) => {
    const before = await snapshotDb(api.db, IGNORED);
    const refused = await api.request<Problem>("POST", "/api/components", { json: { name } });
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([
      { path: "name", message: `looks like the existing component "${existing}" at the top level` },
    ]);
    expect(diffSnapshots(before, await snapshotDb(api.db, IGNORED))).toEqual([]);
  });

  it("is refused as a rename too, but a component keeps its own name in another spelling", async () => {
    const website = await api.request<V2Component>("POST", "/api/components", { json: { name: "Website" } });
    const renamed = await api.request<Problem>("PATCH", `/api/components/${website.body.id}`, {
      json: { name: "D\u0430tabase" },
    });
    expect(renamed.status).toBe(422);
    expect(renamed.body.errors?.[0]?.message).toBe('looks like the existing component "Database" at the top level');
    const respelled = await api.request<V2Component>("PATCH", `/api/components/${website.body.id}`, {
      json: { name: "WEBSITE" },
    });
    expect(respelled.status).toBe(200);
  });

  it("does not stop names that only look related", async () => {
    for (const name of ["APIs", "API 2", "Databases", "Café", "Cafe", "日本", "Emai"])
      expect((await api.request("POST", "/api/components", { json: { name } })).status, name).toBe(201);
  });
});
