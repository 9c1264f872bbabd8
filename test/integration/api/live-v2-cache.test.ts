import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { liveReads } from "../../../core/public/reads.ts";
import { buildV2Document, serializeV2 } from "../../../core/public/statuspage.ts";
import { createTestApi, type TestApi } from "../../helpers/api.ts";

let api: TestApi;

beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api?.cleanup());

const summary = async () => (await api.app.request("/api/v2/summary.json")).text();

describe("the live v2 documents (Workers, and Node before its first render)", () => {
  it("are kept between changes and show every change at once, even two in the same millisecond", async () => {
    const first = await summary();
    expect(await summary()).toBe(first);
    // The test clock stands still: both changes share one updated_at.
    for (const name of ["Search", "Exports"]) {
      const created = await api.request("POST", "/api/components", { as: "admin", json: { name } });
      expect(created.status).toBe(201);
      const after = await summary();
      expect(after).toContain(`"name":"${name}"`);
      expect(after).toBe(serializeV2(await buildV2Document(liveReads(api.db), "summary.json")));
    }
  });
});
