import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AlertView } from "../../../core/alerts/automation/list-alerts.ts";
import type { AutomatedComponents } from "../../../core/alerts/automation/list-automated.ts";
import { auditLog } from "../../../db/schema.ts";
import { createTestApi, type TestApi } from "../../helpers/api.ts";
import { automatedChanges, createRule, evaluate, logKinds, pageStatus, send, setUp } from "./automation-helpers.ts";
import { createSource, deliver, fixtureText } from "./intake-helpers.ts";

let api: TestApi;
let ids: Awaited<ReturnType<typeof setUp>>;

beforeEach(async () => {
  api = await createTestApi();
  ids = await setUp(api);
});
afterEach(() => api.cleanup());

describe("what an alert does to the page", () => {
  it("Alertmanager's example alert moves API to major outage on the page; resolving it restores API", async () => {
    const prometheus = await createSource(api, { name: "Prometheus", kind: "alertmanager" });
    await createRule(api, {
      name: "Probe failures",
      matchers: ['alertname="ProbeFailure"'],
      component_ids: [ids.api.id],
    });
    const firing = fixtureText("alertmanager-v4.json");
    expect((await deliver(api, "prometheus", { token: prometheus.token, body: firing })).status).toBe(202);
    expect(await pageStatus(api, ids.api.id)).toBe("operational");
    await evaluate(api);
    expect(await pageStatus(api, ids.api.id)).toBe("major_outage");
    expect(await pageStatus(api, ids.database.id)).toBe("operational");
    const [change] = await automatedChanges(api, ids.api.id);
    expect(change).toMatchObject({ from: "operational", to: "major_outage" });
    const audit = await api.db.select().from(auditLog).where(eq(auditLog.action, "component.automated_status"));
    expect(audit.map((a) => a.actor)).toEqual(["alert automation (automation)"]);
    const alerts = await api.request<AlertView[]>("GET", "/api/alerts", { as: "viewer" });
    expect(alerts.body[0]).toMatchObject({ fingerprint: "1a30ba71cca2921f", status: "firing", holds: [ids.api.id] });
    expect(alerts.body[0]?.rules.map((r) => r.name)).toEqual(["Probe failures"]);

    const resolved = firing.replaceAll('"status": "firing"', '"status": "resolved"');
    expect((await deliver(api, "prometheus", { token: prometheus.token, body: resolved })).status).toBe(202);
    await evaluate(api);
    expect(await pageStatus(api, ids.api.id)).toBe("operational");
    expect((await automatedChanges(api, ids.api.id)).map((c) => c.to)).toEqual(["major_outage", "operational"]);
    expect((await logKinds(api, "restored")).map((l) => l.summary)).toEqual([
      "API → operational: every alert holding it resolved",
    ]);
  });

  it("two alerts on one component: the worst wins, and it is restored only when both resolve", async () => {
    await createRule(api, { name: "API", matchers: ['service="api"'], component_ids: [ids.api.id] });
    const { token } = ids.source;
    await send(api, token, { fingerprint: "errors", status: "firing", severity: "warning" });
    await evaluate(api);
    expect(await pageStatus(api, ids.api.id)).toBe("partial_outage");
    await send(api, token, { fingerprint: "down", status: "firing", severity: "critical" });
    await evaluate(api);
    expect(await pageStatus(api, ids.api.id)).toBe("major_outage");
    await send(api, token, { fingerprint: "down", status: "resolved" });
    await evaluate(api);
    expect(await pageStatus(api, ids.api.id)).toBe("partial_outage");
    const held = await api.request<AutomatedComponents>("GET", "/api/automated-components", { as: "viewer" });
    expect(held.body.held).toEqual([
      expect.objectContaining({ component_id: ids.api.id, status: "partial_outage", restore_status: "operational" }),
    ]);
    await send(api, token, { fingerprint: "errors", status: "resolved" });
    await evaluate(api);
    expect(await pageStatus(api, ids.api.id)).toBe("operational");
    expect(
      (await api.request<AutomatedComponents>("GET", "/api/automated-components", { as: "viewer" })).body.held,
    ).toEqual([]);
  });

  it("a flapping alert (fires and resolves every 2 s for 30 s) never changes the page with for_seconds 60, and does with 0", async () => {
    const flap = async () => {
      for (let second = 0; second < 30; second += 2) {
        await send(api, ids.source.token, { fingerprint: "flappy", status: second % 4 === 0 ? "firing" : "resolved" });
        await evaluate(api);
        api.clock.advance(2000);
      }
      await send(api, ids.source.token, { fingerprint: "flappy", status: "resolved" });
      await evaluate(api);
    };
    const rule = await createRule(api, {
      name: "API",
      matchers: ["service=api"],
      component_ids: [ids.api.id],
      for_seconds: 60,
    });
    await flap();
    api.clock.advance(120_000);
    await evaluate(api);
    expect(await automatedChanges(api, ids.api.id)).toEqual([]);
    expect(await pageStatus(api, ids.api.id)).toBe("operational");

    await api.request("PATCH", `/api/alert-rules/${rule.id}`, { as: "admin", json: { for_seconds: 0 } });
    await flap();
    // Every episode moves it and every resolve restores it: 8 firings, 8 restores.
    expect((await automatedChanges(api, ids.api.id)).map((c) => c.to)).toEqual(
      Array.from({ length: 8 }, () => ["partial_outage", "operational"]).flat(),
    );
  });

  it("raises a status a person set, and gives it back when the alert resolves; deleting the rule restores too", async () => {
    const edited = await api.request("PATCH", `/api/components/${ids.api.id}`, {
      json: { status: "degraded_performance" },
    });
    expect(edited.status).toBe(200);
    api.clock.advance(1000);
    const rule = await createRule(api, { name: "API", matchers: ["service=api"], component_ids: [ids.api.id] });
    await send(api, ids.source.token, { fingerprint: "slow", status: "firing", severity: "info" });
    await evaluate(api);
    expect(await pageStatus(api, ids.api.id)).toBe("degraded_performance");
    await send(api, ids.source.token, { fingerprint: "down", status: "firing", severity: "critical" });
    await evaluate(api);
    expect(await pageStatus(api, ids.api.id)).toBe("major_outage");
    await send(api, ids.source.token, { fingerprint: "down", status: "resolved" });
    await evaluate(api);
    expect(await pageStatus(api, ids.api.id)).toBe("degraded_performance");
    await send(api, ids.source.token, { fingerprint: "down", status: "firing", severity: "critical" });
    await evaluate(api);
    expect(await pageStatus(api, ids.api.id)).toBe("major_outage");
    expect((await api.request("DELETE", `/api/alert-rules/${rule.id}`, { as: "admin" })).status).toBe(204);
    await evaluate(api);
    expect(await pageStatus(api, ids.api.id)).toBe("degraded_performance");
  });

  it("an alert that stays firing counts once its for_seconds have passed", async () => {
    await createRule(api, { name: "API", matchers: ["service=api"], component_ids: [ids.api.id], for_seconds: 60 });
    await send(api, ids.source.token, { fingerprint: "slow", status: "firing" });
    await evaluate(api);
    api.clock.advance(59_000);
    await evaluate(api);
    expect(await pageStatus(api, ids.api.id)).toBe("operational");
    api.clock.advance(1000);
    await evaluate(api);
    expect(await pageStatus(api, ids.api.id)).toBe("partial_outage");
  });
});

describe("what an alert never does", () => {
  it("changes nothing during a maintenance in progress, and logs that it skipped", async () => {
    await createRule(api, { name: "API", matchers: ["service=api"], component_ids: [ids.api.id] });
    const started = api.clock.now();
    const maintenance = await api.request("POST", "/api/incidents", {
      json: {
        kind: "maintenance",
        name: "API upgrade",
        scheduled_for: new Date(started.getTime() - 60_000).toISOString(),
        scheduled_until: new Date(started.getTime() + 3_600_000).toISOString(),
        components: { [ids.api.id]: "under_maintenance" },
      },
    });
    expect(maintenance.status).toBe(201);
    await evaluate(api);
    expect(await pageStatus(api, ids.api.id)).toBe("under_maintenance");
    await send(api, ids.source.token, { fingerprint: "down", status: "firing", severity: "critical" });
    await evaluate(api);
    await evaluate(api);
    expect(await pageStatus(api, ids.api.id)).toBe("under_maintenance");
    expect(await automatedChanges(api, ids.api.id)).toEqual([]);
    const skipped = await logKinds(api, "skipped");
    expect(skipped.map((l) => l.summary)).toEqual(["API not moved to major outage: under maintenance"]);
    const held = await api.request<AutomatedComponents>("GET", "/api/automated-components", { as: "viewer" });
    expect(held.body.skipped).toEqual([expect.objectContaining({ component_id: ids.api.id, reason: "maintenance" })]);
  });

  it("changes nothing while a person's open incident names the component", async () => {
    await createRule(api, { name: "API", matchers: ["service=api"], component_ids: [ids.api.id] });
    const opened = await api.request("POST", "/api/incidents", {
      json: {
        name: "API errors",
        status: "investigating",
        body: "Looking.",
        components: { [ids.api.id]: "degraded_performance" },
      },
    });
    expect(opened.status).toBe(201);
    await send(api, ids.source.token, { fingerprint: "down", status: "firing", severity: "critical" });
    await evaluate(api);
    expect(await pageStatus(api, ids.api.id)).toBe("degraded_performance");
    expect((await logKinds(api, "skipped")).map((l) => l.summary)).toEqual([
      'API not moved to major outage: named by the open incident "API errors"',
    ]);
  });

  it("lets a person who changes the component end the automation's hold", async () => {
    await createRule(api, { name: "API", matchers: ["service=api"], component_ids: [ids.api.id] });
    await send(api, ids.source.token, { fingerprint: "down", status: "firing", severity: "critical" });
    await evaluate(api);
    expect(await pageStatus(api, ids.api.id)).toBe("major_outage");
    api.clock.advance(1000);
    const edited = await api.request("PATCH", `/api/components/${ids.api.id}`, {
      json: { status: "degraded_performance" },
    });
    expect(edited.status).toBe(200);
    api.clock.advance(1000);
    await send(api, ids.source.token, { fingerprint: "down", status: "firing", severity: "critical" });
    await send(api, ids.source.token, { fingerprint: "other", status: "firing", severity: "info" });
    await evaluate(api);
    expect(await pageStatus(api, ids.api.id)).toBe("degraded_performance");
    await send(api, ids.source.token, { fingerprint: "down", status: "resolved" });
    await evaluate(api);
    expect(await pageStatus(api, ids.api.id)).toBe("degraded_performance");
    expect((await logKinds(api, "skipped")).map((l) => l.details.reason)).toEqual(["person"]);
  });
});
