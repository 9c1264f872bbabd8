import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EMAIL_RETRY } from "../../../core/notifications/channel.ts";
import { emailMessagesFor } from "../../../core/notifications/email/channel.ts";
import type { V2Component } from "../../../core/public/statuspage.ts";
import { tick } from "../../../core/scheduler/tick.ts";
import { auditLog, componentStageChanges, notificationEvents, subscribers } from "../../../db/schema.ts";
import { fanOut } from "../../../jobs/notify/fan-out.ts";
import { smtpTransport } from "../../../jobs/notify/mail-transports.ts";
import { type Sender, startSender } from "../../../jobs/notify/sender.ts";
import { createTestApi, type TestApi } from "../../helpers/api.ts";
import { contextFor } from "../../helpers/database.ts";
import { minutesAfterT0, succeeding, T0 } from "../../helpers/scheduler.ts";
import { type SmtpSink, startSmtpSink } from "../../helpers/smtp-sink.ts";
import { deliveryStates } from "../../helpers/subscribers.ts";

let api: TestApi;
let sink: SmtpSink;
let sender: Sender | null = null;
let legacy: V2Component;
let current: V2Component;

const DAY = 24 * 60;

beforeEach(async () => {
  api = await createTestApi();
  api.clock.set(T0);
  sink = await startSmtpSink(api.dir, { raw: true });
  legacy = await call<V2Component>("POST", "/api/components", { name: "Legacy API" });
  current = await call<V2Component>("POST", "/api/components", { name: "API v2" });
  await call("POST", "/api/subscribers", { address: "only-legacy@example.com", components: [legacy.id] });
  await call("POST", "/api/subscribers", { address: "both@example.com", components: [legacy.id, current.id] });
  await call("POST", "/api/subscribers", { address: "other@example.com", components: [current.id] });
  await call("POST", "/api/subscribers", { address: "everything@example.com" });
});
afterEach(async () => {
  await sender?.stop();
  sender = null;
  await sink.stop();
  await api.cleanup();
});

const call = succeeding(() => api);

async function tickAt(...times: string[]): Promise<void> {
  for (const at of times) {
    api.clock.set(at);
    await tick(contextFor(api.db, api.clock));
  }
}

/** Fans out every event written so far and sends its mails through the real SMTP server. */
async function sendEverything(): Promise<void> {
  for (const event of await api.db.select().from(notificationEvents).orderBy(sql`rowid`)) {
    await fanOut(api.db, api.clock, event.id);
  }
  sender ??= startSender({
    db: api.db,
    clock: api.clock,
    channels: {
      email: {
        channel: { name: "email", retry: EMAIL_RETRY, forEvent: emailMessagesFor },
        transport: smtpTransport(sink.url),
      },
    },
    context: { db: api.db, clock: api.clock, publicUrl: "https://status.acme.test", mailFrom: "status@acme.test" },
    pollMs: 50,
    log: () => {},
  });
  const deadline = Date.now() + 20_000;
  const settled = async () =>
    Object.keys(await deliveryStates(api.db)).every((state) => state === "sent" || state === "failed");
  while (!(await settled())) {
    if (Date.now() > deadline) throw new Error("mails still queued");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function mailsTo(address: string) {
  return (await sink.mails()).filter((m) => m.to && JSON.stringify(m.to).includes(address));
}

describe("sunsetting a component", () => {
  it("tells the subscribers who named it: deprecation, reminder, sunset; the only-this-component subscription ends", async () => {
    const sunsetAt = minutesAfterT0(30 * DAY);
    await call("POST", `/api/components/${legacy.id}/deprecate`, {
      sunset_at: sunsetAt,
      message: "Move to **API v2**: see https://docs.acme.test/migrate",
    });
    // Before the reminder window (14 days by default), at its start, again inside it, then on the date.
    await tickAt(minutesAfterT0(DAY), minutesAfterT0(16 * DAY), minutesAfterT0(17 * DAY));
    await sendEverything();
    await tickAt(minutesAfterT0(30 * DAY), minutesAfterT0(30 * DAY + 1));
    await sendEverything();

    const only = await mailsTo("only-legacy@example.com");
    expect(only.map((m) => m.subject)).toEqual([
      "[Deprecated] Legacy API",
      "[Leaving soon] Legacy API",
      "[Sunset] Legacy API",
    ]);
    const [deprecated, reminder, sunset] = only;
    expect(deprecated?.text).toContain("Legacy API is deprecated. It leaves");
    expect(deprecated?.text).toContain("Move to API v2");
    expect(deprecated?.html).toContain("<strong>API v2</strong>");
    expect(reminder?.text).toContain("Legacy API leaves");
    expect(reminder?.text).toContain("in 14 days");
    expect(sunset?.text).toContain("Your subscription has ended");
    expect(sunset?.html).toContain("Your subscription has ended.");

    const both = await mailsTo("both@example.com");
    expect(both.map((m) => m.subject)).toEqual([
      "[Deprecated] Legacy API",
      "[Leaving soon] Legacy API",
      "[Sunset] Legacy API",
    ]);
    expect(both.at(-1)?.text).not.toContain("Your subscription has ended");
    // Another component's subscriber and the whole-page subscriber read it on the page, not by mail.
    expect(await mailsTo("other@example.com")).toEqual([]);
    expect(await mailsTo("everything@example.com")).toEqual([]);

    const states = Object.fromEntries(
      (await api.db.select({ address: subscribers.address, state: subscribers.state }).from(subscribers)).map((s) => [
        s.address,
        s.state,
      ]),
    );
    expect(states).toEqual({
      "only-legacy@example.com": "unsubscribed",
      "both@example.com": "active",
      "other@example.com": "active",
      "everything@example.com": "active",
    });
    const ended = await api.db.all<{ details: string }>(
      sql`SELECT details FROM audit_log WHERE action = 'subscriber.unsubscribed'`,
    );
    expect(ended.map((row) => JSON.parse(row.details))).toEqual([
      { via: "component-sunset", from: "active", component_id: legacy.id },
    ]);
    const moves = await api.db
      .select({ from: componentStageChanges.fromStage, to: componentStageChanges.toStage })
      .from(componentStageChanges);
    expect(moves).toEqual([
      { from: "production", to: "deprecated" },
      { from: "deprecated", to: "sunset" },
    ]);
    const component = await call<{ id: string }>("GET", `/api/components/${legacy.id}`);
    expect(component.id).toBe(legacy.id);
    const audits = await api.db.select({ action: auditLog.action }).from(auditLog);
    expect(audits.map((a) => a.action)).toEqual(
      expect.arrayContaining(["component.deprecate", "component.sunset_reminder", "component.sunset"]),
    );
  });

  it("sends no reminder when deprecated inside the reminder window, and two ticks at once sunset it once", async () => {
    await call("POST", `/api/components/${legacy.id}/deprecate`, {
      sunset_at: minutesAfterT0(3 * DAY),
      message: "Use API v2.",
    });
    await tickAt(minutesAfterT0(DAY));
    await sendEverything();
    api.clock.set(minutesAfterT0(3 * DAY));
    const ctx = contextFor(api.db, api.clock);
    const [a, b] = await Promise.all([tick(ctx), tick(ctx)]);
    expect([...a.sunset, ...b.sunset]).toEqual([legacy.id]);
    await sendEverything();
    expect((await mailsTo("only-legacy@example.com")).map((m) => m.subject)).toEqual([
      "[Deprecated] Legacy API",
      "[Sunset] Legacy API",
    ]);
    const moves = await api.db.select().from(componentStageChanges);
    expect(moves).toHaveLength(2);
  });

  it("undeprecating mails nobody, and nothing follows on the old date", async () => {
    await call("POST", `/api/components/${legacy.id}/deprecate`, {
      sunset_at: minutesAfterT0(20 * DAY),
      message: "Use API v2.",
    });
    await call("POST", `/api/components/${legacy.id}/undeprecate`, {});
    await tickAt(minutesAfterT0(10 * DAY), minutesAfterT0(21 * DAY));
    await sendEverything();
    expect((await mailsTo("only-legacy@example.com")).map((m) => m.subject)).toEqual(["[Deprecated] Legacy API"]);
    const component = await api.db.all<{ stage: string; sunset_at: string | null }>(
      sql`SELECT stage, sunset_at FROM components WHERE id = ${legacy.id}`,
    );
    expect(component).toEqual([{ stage: "production", sunset_at: null }]);
  });
});
