import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { intakeAnswerSchema } from "../../../core/alerts/sources/receive.ts";
import { tick } from "../../../core/scheduler/tick.ts";
import { createTestApi, type TestApi } from "../../helpers/api.ts";
import { contextFor } from "../../helpers/database.ts";
import { createSource, deliver, fixtureText, intakeState, logLines, storedAlerts } from "./intake-helpers.ts";

let api: TestApi;

beforeEach(async () => {
  api = await createTestApi();
});
afterEach(() => api.cleanup());

const requested = async () =>
  (await api.db.$client.execute("SELECT requested FROM alert_evaluation WHERE id = 'alerts'")).rows[0]?.requested;

describe("repeated and concurrent deliveries apply once", () => {
  it("a repeat of the same state changes nothing: no row touched, no evaluation asked", async () => {
    const { token } = await createSource(api, { name: "Prometheus", kind: "alertmanager" });
    const text = fixtureText("alertmanager-v4.json");
    const first = await deliver(api, "prometheus", { token, body: text });
    expect(intakeAnswerSchema.parse(first.body)).toMatchObject({ changed: 1, evaluation_requested: true });
    const rowsAfterFirst = await storedAlerts(api);
    expect(await requested()).toBe(1);
    api.clock.advance(30_000);
    const repeat = await deliver(api, "prometheus", { token, body: text });
    expect(repeat.status).toBe(202);
    expect(repeat.body).toMatchObject({
      changed: 0,
      evaluation_requested: false,
      summary: "1 alert (1 firing); nothing changed",
    });
    expect(await storedAlerts(api)).toEqual(rowsAfterFirst);
    expect(await requested()).toBe(1);
  });

  it("a firing after a resolve starts a new episode", async () => {
    const { token } = await createSource(api, { name: "Scripts", kind: "generic" });
    const send = (status: string) =>
      deliver(api, "scripts", {
        token,
        body: JSON.stringify({ alerts: [{ status, summary: "db down", labels: { db: "main" } }] }),
      });
    await send("firing");
    api.clock.advance(60_000);
    await send("resolved");
    api.clock.advance(60_000);
    await send("firing");
    const [alert] = await storedAlerts(api);
    expect(alert).toMatchObject({ status: "firing", resolvedAt: null, firingSince: api.clock.now().toISOString() });
    expect(await requested()).toBe(3);
  });

  it("the same Idempotency-Key twice: the second is answered 200 with the first's summary and changes nothing", async () => {
    const { token } = await createSource(api, { name: "Scripts", kind: "generic" });
    const headers = { "Idempotency-Key": "delivery-42" };
    const body = JSON.stringify({ alerts: [{ status: "firing", summary: "db down", labels: { db: "main" } }] });
    const first = await deliver(api, "scripts", { token, body, headers });
    expect(first.status).toBe(202);
    const before = await intakeState(api);
    const resolvedBody = JSON.stringify({
      alerts: [{ status: "resolved", summary: "db down", labels: { db: "main" } }],
    });
    const again = await deliver(api, "scripts", { token, body: resolvedBody, headers });
    expect(again.status).toBe(200);
    expect(intakeAnswerSchema.parse(again.body)).toMatchObject({
      duplicate: true,
      summary: first.body.summary,
      log_id: first.body.log_id,
    });
    expect(await intakeState(api)).toBe(before);
    // Both lines share the test clock's instant, so their order is the ids'.
    expect((await logLines(api)).map((l) => l.kind).sort()).toEqual(["duplicate", "received"]);
  });

  it("two identical deliveries at once, with or without a key, store one alert and one request", async () => {
    const { token } = await createSource(api, { name: "Scripts", kind: "generic" });
    const body = JSON.stringify({ alerts: [{ status: "firing", summary: "db down", labels: { db: "main" } }] });
    const keyed = { "Idempotency-Key": "same" };
    const answers = await Promise.all([
      deliver(api, "scripts", { token, body, headers: keyed }),
      deliver(api, "scripts", { token, body, headers: keyed }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 202]);
    expect((await logLines(api)).map((l) => l.kind).sort()).toEqual(["duplicate", "received"]);

    const other = JSON.stringify({ alerts: [{ status: "firing", summary: "cache down", labels: { cache: "main" } }] });
    const unkeyed = await Promise.all([
      deliver(api, "scripts", { token, body: other }),
      deliver(api, "scripts", { token, body: other }),
    ]);
    expect(unkeyed.map((a) => a.status)).toEqual([202, 202]);
    const rows = await storedAlerts(api);
    expect(rows.map((r) => r.summary).sort()).toEqual(["cache down", "db down"]);
    const jobs = await api.db.$client.execute("SELECT dedupe_key FROM jobs WHERE kind = 'evaluate_alerts'");
    expect(jobs.rows).toHaveLength(1);
  });
});

describe("heartbeats", () => {
  const tickAt = async (iso: string) => {
    api.clock.set(iso);
    await tick(contextFor(api.db, api.clock));
  };

  it("a missing ping raises the heartbeat's alert once; a ping resolves it", async () => {
    const start = api.clock.now().getTime();
    const at = (minutes: number) => new Date(start + minutes * 60_000).toISOString();
    const { token } = await createSource(api, { name: "Nightly backup", kind: "heartbeat", heartbeat_minutes: 5 });
    await tickAt(at(4));
    expect(await storedAlerts(api)).toEqual([]);
    await tickAt(at(6));
    const [raised] = await storedAlerts(api);
    expect(raised).toMatchObject({
      fingerprint: "heartbeat",
      status: "firing",
      labels: { alertname: "heartbeat", heartbeat: "nightly-backup" },
      summary: "No ping from Nightly backup for 5 minutes",
    });
    await Promise.all([tickAt(at(7)), tick(contextFor(api.db, api.clock))]);
    expect((await logLines(api, "?kind=heartbeat")).map((l) => l.summary)).toEqual([
      "No ping from Nightly backup for 5 minutes",
    ]);

    api.clock.set(at(8));
    const ping = await deliver(api, "nightly-backup", { token, method: "GET" });
    expect(ping.status).toBe(202);
    expect(ping.body).toMatchObject({ summary: "ping; the heartbeat is back, its alert resolved", changed: 1 });
    expect((await storedAlerts(api))[0]).toMatchObject({ status: "resolved" });
    const post = await deliver(api, "nightly-backup", { token, body: "" });
    expect(post.body).toMatchObject({ summary: "ping", changed: 0 });
    await tickAt(at(12));
    expect((await storedAlerts(api))[0]?.status).toBe("resolved");
    await tickAt(at(14));
    expect((await storedAlerts(api))[0]?.status).toBe("firing");
    expect((await logLines(api, "?kind=heartbeat")).map((l) => l.details.status)).toEqual([
      "firing",
      "resolved",
      "firing",
    ]);
  });

  it("a revoked heartbeat raises nothing; the log keeps 30 days", async () => {
    await createSource(api, { name: "Cron", kind: "heartbeat", heartbeat_minutes: 1 });
    await api.request("DELETE", "/api/alert-sources/cron", { as: "admin" });
    await deliver(api, "nosuch", { token: null, body: "{}" });
    await tickAt(new Date(api.clock.now().getTime() + 10 * 60_000).toISOString());
    expect(await storedAlerts(api)).toEqual([]);
    expect(await logLines(api)).toHaveLength(1);
    await tickAt(new Date(api.clock.now().getTime() + 31 * 86_400_000).toISOString());
    expect(await logLines(api)).toEqual([]);
  });
});
