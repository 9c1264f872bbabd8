import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Problem } from "../../../api/problem.ts";
import type { PageSettings } from "../../../core/page/page-settings.ts";
import { createTestApi, type TestApi } from "../../helpers/api.ts";

describe("the record's page settings: weekly review, public reliability page, sunset reminders", () => {
  let api: TestApi;
  beforeEach(async () => {
    api = await createTestApi();
  });
  afterEach(() => api.cleanup());

  const settings = async () => (await api.request<PageSettings>("GET", "/api/page", { as: "viewer" })).body;

  it("a new page has no weekly mail, no reliability page and reminds 14 days before a sunset", async () => {
    expect(await settings()).toMatchObject({
      review_weekday: null,
      review_hour: null,
      public_reliability: false,
      sunset_reminder_days: 14,
    });
  });

  it("an admin schedules the weekly review, turns the reliability page on and sets the reminder; all audited", async () => {
    const changed = await api.request<PageSettings>("PATCH", "/api/page", {
      as: "admin",
      json: { review_weekday: 1, review_hour: 9, public_reliability: true, sunset_reminder_days: 30 },
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body).toMatchObject({
      review_weekday: 1,
      review_hour: 9,
      public_reliability: true,
      sunset_reminder_days: 30,
    });
    expect(await settings()).toMatchObject({ review_weekday: 1, review_hour: 9, public_reliability: true });
    const audit = await api.request<{ action: string; details: unknown }[]>("GET", "/api/audit", { as: "viewer" });
    expect(audit.body.find((e) => e.action === "page.update")?.details).toMatchObject({
      changed: { review_weekday: { from: null, to: 1 }, public_reliability: { from: false, to: true } },
    });

    // Clearing both turns the mail off again.
    const off = await api.request<PageSettings>("PATCH", "/api/page", {
      as: "admin",
      json: { review_weekday: null, review_hour: null },
    });
    expect(off.body).toMatchObject({ review_weekday: null, review_hour: null });
  });

  it("half a schedule, a day out of range or a commander's change is refused and changes nothing", async () => {
    const before = await settings();
    const half = await api.request("PATCH", "/api/page", { as: "admin", json: { review_hour: 9 } });
    expect(half.status).toBe(422);
    expect(half.headers.get("content-type")).toContain("application/problem+json");
    expect((half.body as Problem).errors?.map((e) => e.path)).toEqual(["review_weekday"]);

    await api.request("PATCH", "/api/page", { as: "admin", json: { review_weekday: 5, review_hour: 16 } });
    const clearOne = await api.request("PATCH", "/api/page", { as: "admin", json: { review_hour: null } });
    expect((clearOne.body as Problem).errors?.map((e) => e.path)).toEqual(["review_hour"]);

    for (const json of [
      { review_weekday: 0, review_hour: 9 },
      { review_weekday: 8, review_hour: 9 },
      { review_weekday: 1, review_hour: 24 },
      { sunset_reminder_days: 0 },
      { public_reliability: "yes" },
    ]) {
      const refused = await api.request("PATCH", "/api/page", { as: "admin", json });
      expect(refused.status, JSON.stringify(json)).toBe(422);
    }
    const commander = await api.request("PATCH", "/api/page", { as: "commander", json: { public_reliability: true } });
    expect(commander.status).toBe(403);
    expect(await settings()).toMatchObject({
      ...before,
      review_weekday: 5,
      review_hour: 16,
      updated_at: expect.any(String),
    });
  });
});
