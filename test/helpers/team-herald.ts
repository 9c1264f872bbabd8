import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ParsedMail } from "mailparser";
import { SYSTEM_ACTOR } from "../../core/actions/context.ts";
import { tick } from "../../core/scheduler/tick.ts";
import { loadConfig } from "../../server/config.ts";
import { type RunningHerald, startHerald } from "../../server/start.ts";
import { manualClock } from "./database.ts";
import { type SmtpSink, startSmtpSink } from "./smtp-sink.ts";

export const TEAM_ADMIN_TOKEN = "hrld_team_journey_admin_token_0123456789";

/**
 * A whole Herald (`startHerald`: API, console, job runner, sender, static site on a real port) in this
 * process, on a clock the test moves (starting at the wall's time, so the browser's cookies and the
 * server's sessions agree), mailing a real SMTP server in its own process. `origin` is `localhost`: a
 * passkey needs a host name, not an IP address.
 */
export type TeamHerald = {
  origin: string;
  herald: RunningHerald;
  clock: ReturnType<typeof manualClock>;
  sink: SmtpSink;
  /** Runs the scheduler's tick (as its interval would on this clock), then waits until every mail is sent. */
  tick(): Promise<void>;
  /** Waits until the outbox is empty and every delivery has its answer. */
  settled(): Promise<void>;
  /** Mails the SMTP server accepted for `address`, in the order it accepted them. */
  mailsTo(address: string): Promise<ParsedMail[]>;
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

export async function startTeamHerald(teamEmail: string): Promise<TeamHerald> {
  const dir = await mkdtemp(join(tmpdir(), "herald-team-"));
  const sink = await startSmtpSink(dir, { raw: true });
  const port = await freePort();
  const clock = manualClock(new Date().toISOString());
  const config = loadConfig({
    HERALD_DATA: join(dir, "data"),
    PORT: String(port),
    HOST: "127.0.0.1",
    PUBLIC_URL: `http://localhost:${port}`,
    SMTP_URL: sink.url,
    MAIL_FROM: "Acme Status <status@acme.test>",
    HERALD_ADMIN_TOKEN: TEAM_ADMIN_TOKEN,
    HERALD_TEAM_EMAIL: teamEmail,
    HERALD_BACKUP_EVERY: "0",
    HERALD_PAGE_NAME: "Acme Status",
  });
  const herald = await startHerald(config, clock);
  const system = {
    db: herald.db,
    clock,
    actor: SYSTEM_ACTOR,
    onCommit: () => herald.runner.wake(),
    settings: config.settings,
  };

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
      const error = jobs?.rows[0]?.error;
      if (error) throw new Error(`A job failed:\n${String(error)}`);
      if (Number(jobs?.rows[0]?.n ?? 0) === 0 && Number(deliveries?.rows[0]?.n ?? 0) === 0) break;
      if (Date.now() > deadline) throw new Error("the outbox did not empty within 60 s");
      herald.runner.wake();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await herald.renderer.settled();
  }

  return {
    origin: `http://localhost:${port}`,
    herald,
    clock,
    sink,
    async tick() {
      await tick(system);
      await settled();
    },
    settled,
    async mailsTo(address) {
      const mails = await sink.mails();
      return mails.filter((m) => [m.to].flat().some((to) => to?.text.includes(address)));
    },
    async close() {
      await herald.stop();
      await sink.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
