import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AdminIncident } from "../../../core/incidents/admin-incident.ts";
import { EMAIL_RETRY } from "../../../core/notifications/channel.ts";
import { emailMessagesFor } from "../../../core/notifications/email/channel.ts";
import type { V2Component } from "../../../core/public/statuspage.ts";
import { tick } from "../../../core/scheduler/tick.ts";
import { notificationEvents } from "../../../db/schema.ts";
import { fanOut } from "../../../jobs/notify/fan-out.ts";
import { smtpTransport } from "../../../jobs/notify/mail-transports.ts";
import { type Sender, startSender } from "../../../jobs/notify/sender.ts";
import { createTestApi, type TestApi } from "../../helpers/api.ts";
import { contextFor } from "../../helpers/database.ts";
import { minutesAfterT0, succeeding } from "../../helpers/scheduler.ts";
import { type SmtpSink, startSmtpSink } from "../../helpers/smtp-sink.ts";
import { addSubscribers, deliveryStates } from "../../helpers/subscribers.ts";

let api: TestApi;
let sink: SmtpSink;
let sender: Sender | null = null;
let database: V2Component;

beforeEach(async () => {
  api = await createTestApi();
  sink = await startSmtpSink(api.dir, { raw: true });
  database = (await api.request<V2Component>("POST", "/api/components", { json: { name: "Database" } })).body;
  await addSubscribers(api.db, 1);
});
afterEach(async () => {
  await sender?.stop();
  sender = null;
  await sink.stop();
  await api.cleanup();
});

const call = succeeding(() => api);

/** Ticks the scheduler at each time (ISO), as the runner's 15 s interval would across the window. */
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
  sender = startSender({
    db: api.db,
    clock: api.clock,
    channels: {
      email: {
        channel: { name: "email", retry: EMAIL_RETRY, forEvent: emailMessagesFor },
        transport: smtpTransport(sink.url),
      },
    },
    context: {
      db: api.db,
      clock: api.clock,
      publicUrl: "https://status.acme.test",
      mailFrom: "Acme Status <status@acme.test>",
    },
    pollMs: 50,
    log: () => {},
  });
  const deadline = Date.now() + 20_000;
  const settled = async () => {
    const states = await deliveryStates(api.db);
    return Object.keys(states).every((state) => state === "sent" || state === "failed");
  };
  while (!(await settled())) {
    if (Date.now() > deadline) throw new Error("mails still queued");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("the maintenance reminder", () => {
  it("is not sent when the maintenance is announced inside the reminder window: one mail says both", async () => {
    await call<AdminIncident>("POST", "/api/incidents", {
      kind: "maintenance",
      name: "Database upgrade",
      scheduled_for: minutesAfterT0(30),
      scheduled_until: minutesAfterT0(90),
      components: { [database.id]: "under_maintenance" },
    });
    await tickAt(new Date(Date.parse(minutesAfterT0(0)) + 7_000).toISOString(), minutesAfterT0(10), minutesAfterT0(29));
    await sendEverything();
    const mails = await sink.mails();
    expect(mails.map((m) => m.subject)).toEqual(["[Scheduled maintenance] Database upgrade"]);
    expect(mails[0]?.text).toMatch(/Maintenance is scheduled on .* for /);
  });

  it("is still sent, once, for a maintenance announced before its reminder window", async () => {
    await call<AdminIncident>("POST", "/api/incidents", {
      kind: "maintenance",
      name: "Database upgrade",
      scheduled_for: minutesAfterT0(180),
      scheduled_until: minutesAfterT0(240),
      components: { [database.id]: "under_maintenance" },
    });
    await tickAt(minutesAfterT0(120), minutesAfterT0(121), minutesAfterT0(150));
    await sendEverything();
    const subjects = (await sink.mails()).map((m) => m.subject).sort();
    expect(subjects).toEqual(["[Maintenance reminder] Database upgrade", "[Scheduled maintenance] Database upgrade"]);
  });

  it("is not sent after a reschedule into the reminder window: the rescheduled mail names the new start", async () => {
    const maintenance = await call<AdminIncident>("POST", "/api/incidents", {
      kind: "maintenance",
      name: "Database upgrade",
      scheduled_for: minutesAfterT0(600),
      scheduled_until: minutesAfterT0(660),
      components: { [database.id]: "under_maintenance" },
    });
    await call("POST", `/api/incidents/${maintenance.id}/reschedule`, {
      scheduled_for: minutesAfterT0(20),
      scheduled_until: minutesAfterT0(80),
    });
    await tickAt(minutesAfterT0(1), minutesAfterT0(19));
    await sendEverything();
    const subjects = (await sink.mails()).map((m) => m.subject).sort();
    expect(subjects).toEqual([
      "[Rescheduled maintenance] Database upgrade",
      "[Scheduled maintenance] Database upgrade",
    ]);
  });
});
