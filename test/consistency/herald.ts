import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SYSTEM_ACTOR } from "../../core/actions/context.ts";
import { tick } from "../../core/scheduler/tick.ts";
import { loadConfig } from "../../server/config.ts";
import { type RunningHerald, startHerald } from "../../server/start.ts";
import { manualClock } from "../helpers/database.ts";
import { type SmtpSink, startSmtpSink } from "../helpers/smtp-sink.ts";
import { startWebhookReceiver } from "../helpers/webhook-receiver.ts";

export const ADMIN_TOKEN = "hrld_consistency_admin_token_0123456789";
export const TEAM_EMAIL = "oncall@acme.test";
/** The mail provider's webhook signing secret: the bounce action signs its reports with it. */
export const MAIL_WEBHOOK_SECRET = `whsec_${Buffer.from("consistency-mail-provider-secret").toString("base64")}`;
/** The clock's start: every seed replays from the same instant. */
export const START = "2026-11-26T10:00:00.000Z";

export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;

export type Answer<T = unknown> = { status: number; body: T };

/**
 * A whole Herald (`startHerald`: API, job runner, render thread, sender, static server on a real port)
 * in this process, on a clock the test moves, with mail to a real SMTP server in its own process and
 * webhooks to a real receiver.
 */
export type ConsistencyHerald = {
  url: string;
  herald: RunningHerald;
  clock: ReturnType<typeof manualClock>;
  sink: SmtpSink;
  receiver: WebhookReceiver;
  /** An admin API request. */
  api<T = unknown>(method: string, path: string, json?: unknown): Promise<Answer<T>>;
  /** A public GET: the text the site serves. */
  get(path: string): Promise<{ status: number; text: string }>;
  /** Runs the scheduler's tick, as the interval would, until one finds nothing to do. */
  tick(): Promise<void>;
  /** Deliveries whose retry the test let come due (after a network error). */
  retriesWaitedFor(): number;
  /** Resolves once every job ran, every delivery got its answer and every page of every change is written. */
  settled(): Promise<void>;
  close(): Promise<void>;
};

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== "object" || address === null) throw new Error("no free port");
  return address.port;
}

export async function startConsistencyHerald(): Promise<ConsistencyHerald> {
  const dir = await mkdtemp(join(tmpdir(), "herald-consistency-"));
  const sink = await startSmtpSink(dir, { raw: true });
  const receiver = await startWebhookReceiver();
  const port = await freePort();
  const clock = manualClock(START);
  const config = loadConfig({
    HERALD_DATA: join(dir, "data"),
    PORT: String(port),
    HOST: "127.0.0.1",
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    SMTP_URL: sink.url,
    MAIL_FROM: "Acme Status <status@acme.test>",
    HERALD_ADMIN_TOKEN: ADMIN_TOKEN,
    HERALD_TEAM_EMAIL: TEAM_EMAIL,
    HERALD_BACKUP_EVERY: "0",
    HERALD_PAGE_NAME: "Acme Status",
    HERALD_ALLOW_PRIVATE_WEBHOOKS: "1",
    RESEND_WEBHOOK_SECRET: MAIL_WEBHOOK_SECRET,
  });
  const herald = await startHerald(config, clock);
  let retriesWaitedFor = 0;
  const url = herald.url;
  const system = {
    db: herald.db,
    clock,
    actor: SYSTEM_ACTOR,
    onCommit: () => herald.runner.wake(),
    settings: config.settings,
  };

  /**
   * A delivery that met a network error (a receiver closing an idle keep-alive socket as it was reused)
   * waits for its retry on the test's clock: let those seconds pass, as they would.
   */
  async function letRetriesComeDue(): Promise<void> {
    const waiting = await herald.db.$client.execute(
      "SELECT min(next_attempt_at) AS next, count(*) AS n FROM deliveries WHERE state = 'queued' AND attempts > 0",
    );
    const next = waiting.rows[0]?.next;
    if (next === null || next === undefined) return;
    const wait = Date.parse(String(next)) - clock.now().getTime();
    if (wait <= 0) return;
    clock.advance(wait);
    retriesWaitedFor += Number(waiting.rows[0]?.n ?? 0);
  }

  async function settled(): Promise<void> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const [jobs, deliveries] = await herald.db.$client.batch(
        [
          "SELECT count(*) AS n, max(last_error) AS error FROM jobs",
          "SELECT count(*) AS n FROM deliveries WHERE state IN ('queued', 'sending')",
        ],
        "read",
      );
      const pendingJobs = Number(jobs?.rows[0]?.n ?? 0);
      const pendingDeliveries = Number(deliveries?.rows[0]?.n ?? 0);
      const error = jobs?.rows[0]?.error;
      if (error) throw new Error(`A job failed:\n${String(error)}`);
      if (pendingJobs === 0 && pendingDeliveries === 0) break;
      if (pendingJobs === 0) await letRetriesComeDue();
      if (Date.now() > deadline) {
        const stuck = await herald.db.$client.execute(
          "SELECT d.state, d.attempts, d.next_attempt_at, d.last_error, e.kind, s.address FROM deliveries d JOIN notification_events e ON e.id = d.event_id JOIN subscribers s ON s.id = d.subscriber_id WHERE d.state IN ('queued', 'sending') LIMIT 5",
        );
        throw new Error(
          `${pendingJobs} job(s) and ${pendingDeliveries} delivery(ies) still pending after 60 s (clock ${clock.now().toISOString()}): ${JSON.stringify(stuck.rows)}`,
        );
      }
      // A delivery waiting for a retry is due on the test's clock, not the wall's: wake the runner meanwhile.
      herald.runner.wake();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await herald.renderer.settled();
  }

  return {
    url,
    herald,
    clock,
    sink,
    receiver,
    async api<T>(method: string, path: string, json?: unknown) {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" },
        body: json === undefined ? undefined : JSON.stringify(json),
      });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {}
      return { status: response.status, body: body as T };
    },
    async get(path: string) {
      const response = await fetch(`${url}${path}`);
      return { status: response.status, text: await response.text() };
    },
    async tick() {
      // A promise made by an update this tick published is seen by the next tick (15 s later on Node):
      // tick until one finds nothing, so the interval's own tick never does work the test did not see.
      for (let i = 0; i < 3; i++) {
        const result = await tick(system);
        if (Object.values(result).every((done) => done.length === 0)) break;
      }
    },
    settled,
    retriesWaitedFor: () => retriesWaitedFor,
    async close() {
      await herald.stop();
      await receiver.close();
      await sink.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
