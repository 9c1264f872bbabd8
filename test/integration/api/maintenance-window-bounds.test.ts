import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Problem } from "../../../api/problem.ts";
import type { AdminIncident } from "../../../core/incidents/admin-incident.ts";
import { createTestApi, type TestApi } from "../../helpers/api.ts";
import { diffSnapshots, snapshotDb } from "../../helpers/db-snapshot.ts";
import { minutesAfterT0 } from "../../helpers/scheduler.ts";

/** Bookkeeping of which token was used when, not a change. */
const IGNORED = ["api_tokens.last_used_at"];
const DAY = 24 * 60;
const at = minutesAfterT0;

let api: TestApi;
beforeEach(async () => {
  api = await createTestApi();
});
afterEach(() => api.cleanup());

const schedule = (scheduled_for: string, scheduled_until: string) =>
  api.request<AdminIncident>("POST", "/api/incidents", {
    json: { kind: "maintenance", name: "Database upgrade", scheduled_for, scheduled_until },
  });

/** Sends `request`, expects a 422 naming `path`, and that nothing changed. */
async function refusedNaming(
  path: string,
  request: () => Promise<{ status: number; body: unknown }>,
): Promise<string | undefined> {
  const before = await snapshotDb(api.db, IGNORED);
  const answer = await request();
  const refused = { status: answer.status, body: answer.body as Problem };
  expect(refused.status, JSON.stringify(refused.body)).toBe(422);
  expect(refused.body.errors?.map((e) => e.path)).toContain(path);
  expect(diffSnapshots(before, await snapshotDb(api.db, IGNORED))).toEqual([]);
  return refused.body.errors?.find((e) => e.path === path)?.message;
}

describe("a maintenance window", () => {
  it.each([
    ["in year 0000", "0000-01-01T00:00:00Z", "0000-01-01T02:00:00Z"],
    ["in 1970", "1970-01-01T00:00:00Z", "1970-01-01T02:00:00Z"],
    ["two days ago", at(-2 * DAY), at(-2 * DAY + 60)],
    ["in 9999", "9999-12-31T20:00:00Z", "9999-12-31T22:00:00Z"],
    ["more than a year ahead", at(366 * DAY), at(366 * DAY + 60)],
  ])("starting %s is refused when scheduled, naming scheduled_for", async (_when, from, until) => {
    const message = await refusedNaming("scheduled_for", () => schedule(from, until));
    expect(message).toMatch(/no earlier than a day ago|within a year from now/);
  });

  it("ending more than a year after its start is refused, naming scheduled_until", async () => {
    const message = await refusedNaming("scheduled_until", () => schedule(at(60), "9999-01-01T00:00:00Z"));
    expect(message).toMatch(/within a year of the start/);
  });

  it("may start up to a day ago (entered late) and last up to a year", async () => {
    expect((await schedule(at(-DAY + 1), at(60))).status).toBe(201);
    expect((await schedule(at(364 * DAY), at(2 * 364 * DAY))).status).toBe(201);
  });

  it("is bounded the same when rescheduled, extended or edited", async () => {
    const created = await schedule(at(60), at(120));
    expect(created.status).toBe(201);
    const id = created.body.id;
    await refusedNaming("scheduled_for", () =>
      api.request("POST", `/api/incidents/${id}/reschedule`, { json: { scheduled_for: "1970-01-01T00:00:00Z" } }),
    );
    await refusedNaming("scheduled_for", () =>
      api.request("POST", `/api/incidents/${id}/reschedule`, {
        json: { scheduled_for: "9999-12-31T20:00:00Z", scheduled_until: "9999-12-31T22:00:00Z" },
      }),
    );
    await refusedNaming("scheduled_until", () =>
      api.request("POST", `/api/incidents/${id}/extend`, { json: { scheduled_until: "9999-12-31T22:00:00Z" } }),
    );
    await refusedNaming("scheduled_for", () =>
      api.request("PATCH", `/api/incidents/${id}`, { json: { scheduled_for: "0000-01-01T00:00:00Z" } }),
    );
    await refusedNaming("scheduled_until", () =>
      api.request("PATCH", `/api/incidents/${id}`, { json: { scheduled_until: at(400 * DAY) } }),
    );
  });

  it("that began days ago can still be extended within a year of its start", async () => {
    const created = await schedule(at(60), at(120));
    api.clock.advance(3 * DAY * 60_000);
    const extended = await api.request<AdminIncident>("POST", `/api/incidents/${created.body.id}/extend`, {
      json: { scheduled_until: at(5 * DAY) },
    });
    expect(extended.status).toBe(201);
    expect(extended.body.scheduled_until).toBe(at(5 * DAY));
  });

  it("already over is refused when scheduled, moved or extended, naming scheduled_until (a past one is backfilled)", async () => {
    const message = await refusedNaming("scheduled_until", () => schedule(at(-23 * 60), at(-60)));
    expect(message).toMatch(/must be in the future/);
    const created = await schedule(at(60), at(120));
    const id = created.body.id;
    await refusedNaming("scheduled_until", () =>
      api.request("PATCH", `/api/incidents/${id}`, { json: { scheduled_for: at(-120), scheduled_until: at(-60) } }),
    );
    await refusedNaming("scheduled_until", () =>
      api.request("POST", `/api/incidents/${id}/reschedule`, {
        json: { scheduled_for: at(-120), scheduled_until: at(-1) },
      }),
    );
    api.clock.advance(3 * 60 * 60_000); // its window passed while nobody completed it
    await refusedNaming("scheduled_until", () =>
      api.request("POST", `/api/incidents/${id}/extend`, { json: { scheduled_until: at(150) } }),
    );
  });
});
