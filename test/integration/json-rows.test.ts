import { desc, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { V2Component } from "../../core/public/statuspage.ts";
import { selectRowsAsJson } from "../../db/json-rows.ts";
import { incidents, incidentUpdates, scheduledActions, updateComponents, uptimeDaily } from "../../db/schema.ts";
import { createTestApi, type TestApi } from "../helpers/api.ts";

let api: TestApi;

beforeEach(async () => {
  api = await createTestApi();
  const component = (await api.request<V2Component>("POST", "/api/components", { json: { name: "API “Europe” ☃" } }))
    .body;
  for (const [i, name] of [
    "Plain",
    'Quotes " and \\ backslash',
    "Emoji 🔥 and RTL שלום",
    "Zero\u200bwidth",
  ].entries()) {
    const opened = await api.request<{ id: string }>("POST", "/api/incidents", {
      json: {
        name,
        body: `**${name}** <b>x</b>\ttab\r\nline`,
        components: { [component.id]: "partial_outage" },
        deliver_notifications: i % 2 === 0,
      },
    });
    expect(opened.status).toBe(201);
    api.clock.advance(60_000);
    const resolved = await api.request("POST", `/api/incidents/${opened.body.id}/updates`, {
      json: { status: "resolved", body: `Fixed ${i}.`, ...(i === 1 ? {} : { next_update_in_minutes: 30 }) },
    });
    expect(resolved.status).toBe(201);
    api.clock.advance(60_000);
  }
  // A timed update keeps its written update (component statuses too) in a JSON column until it is published.
  const later = await api.request<{ id: string }>("POST", "/api/incidents", { json: { name: "Later" } });
  const timed = await api.request("POST", `/api/incidents/${later.body.id}/updates`, {
    json: {
      status: "identified",
      body: "Soon.",
      publish_at: new Date(api.clock.now().getTime() + 3_600_000).toISOString(),
      components: { [component.id]: "degraded_performance" },
    },
  });
  expect(timed.status).toBe(201);
});
afterEach(() => api.cleanup());

describe("rows read as JSON", () => {
  it("are the rows a plain select returns: types, nulls, booleans, text of every kind, order", async () => {
    const newest = sql`${incidentUpdates.displayAt} DESC, ${incidentUpdates}.rowid DESC`;
    const plain = await api.db.select().from(incidentUpdates).orderBy(newest);
    expect(plain.length).toBe(9);
    expect(await selectRowsAsJson(api.db, incidentUpdates, { orderBy: newest })).toEqual(plain);

    const runs = await api.db.select().from(scheduledActions);
    expect(runs).toHaveLength(1);
    expect(Object.values(runs[0]?.input.components ?? {})).toEqual(["degraded_performance"]);
    expect(await selectRowsAsJson(api.db, scheduledActions, {})).toEqual(runs);

    const byName = sql`${updateComponents.componentName}, ${updateComponents.updateId}`;
    expect(await selectRowsAsJson(api.db, updateComponents, { orderBy: byName })).toEqual(
      await api.db.select().from(updateComponents).orderBy(byName),
    );
    const byDay = sql`${uptimeDaily.componentId}, ${uptimeDaily.day}`;
    expect(await selectRowsAsJson(api.db, uptimeDaily, { orderBy: byDay })).toEqual(
      await api.db.select().from(uptimeDaily).orderBy(byDay),
    );
  });

  it("take a page with limit and offset, and an empty result is an empty list", async () => {
    const order = sql`${incidents.createdAt} DESC, ${incidents.id} DESC`;
    const all = await api.db.select().from(incidents).orderBy(desc(incidents.createdAt), desc(incidents.id));
    expect(await selectRowsAsJson(api.db, incidents, { orderBy: order, limit: 2, offset: 1 })).toEqual(all.slice(1, 3));
    expect(await selectRowsAsJson(api.db, incidents, { orderBy: order, limit: 10 })).toEqual(all);
    expect(await selectRowsAsJson(api.db, incidents, { where: sql`0`, orderBy: order })).toEqual([]);
  });
});
