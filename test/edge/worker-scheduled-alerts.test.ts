import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import type { V2Component } from "../../core/public/statuspage.ts";
import type { TestApi } from "../helpers/api.ts";
import { manualClock } from "../helpers/database.ts";
import { minutesAfterT0 as at, T0 } from "../helpers/scheduler.ts";
import { createWorkerdTestApi, runCron } from "../helpers/workerd-api.ts";
import { stopWorkerdRuntime } from "../helpers/workerd-runtime.ts";
import { createSource, deliver } from "../integration/alerts/intake-helpers.ts";

/*
 * The alerts on the Worker alone (no Node runner running the evaluate_alerts jobs): the cron trigger's tick
 * evaluates what the intake asked for, in workerd on sqld.
 */

let api: TestApi;
let checkout: V2Component;

beforeEach(async () => {
  api = await createWorkerdTestApi(manualClock(T0), undefined);
  checkout = (await api.request<V2Component>("POST", "/api/components", { as: "admin", json: { name: "Checkout" } }))
    .body;
});
afterEach(() => api.cleanup());
afterAll(stopWorkerdRuntime);

const statusOnPage = async () =>
  (await api.request<{ components: V2Component[] }>("GET", "/api/v2/summary.json", { as: null })).body.components.find(
    (c) => c.id === checkout.id,
  )?.status;

describe("the Worker's cron trigger and the alerts", () => {
  it("moves a component an alert asks for, after its damping, and restores it when the alert resolves", async () => {
    const source = await createSource(api, { name: "Scripts", kind: "generic" });
    const rule = await api.request("POST", "/api/alert-rules", {
      as: "admin",
      json: { name: "Checkout", matchers: ['service="checkout"'], component_ids: [checkout.id], for_seconds: 120 },
    });
    expect(rule.status).toBe(201);
    const alert = (status: string) =>
      JSON.stringify({
        alerts: [
          { fingerprint: "errors", status, severity: "critical", summary: "5xx", labels: { service: "checkout" } },
        ],
      });
    expect((await deliver(api, "scripts", { token: source.token, body: alert("firing") })).status).toBe(202);
    await runCron(at(1));
    expect(await statusOnPage()).toBe("operational");
    await runCron(at(2));
    expect(await statusOnPage()).toBe("major_outage");
    api.clock.set(at(3));
    expect((await deliver(api, "scripts", { token: source.token, body: alert("resolved") })).status).toBe(202);
    await runCron(at(3));
    expect(await statusOnPage()).toBe("operational");
  });
});
