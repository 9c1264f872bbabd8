import { realpath } from "node:fs/promises";
import { and, eq } from "drizzle-orm";
import type { Clock } from "../core/actions/clock.ts";
import { type ActionContext, SYSTEM_ACTOR } from "../core/actions/context.ts";
import { run } from "../core/actions/run.ts";
import { startNewDay } from "../core/page/start-new-day.ts";
import { tick } from "../core/scheduler/tick.ts";
import { webhookUrlPolicy } from "../core/webhook-subscribers/url-policy.ts";
import type { Db } from "../db/client.ts";
import { jobs } from "../db/schema.ts";
import { notifyHandler } from "./handlers/notify.ts";
import { renderHandler } from "./handlers/render.ts";
import { deliveryChannels, type MailTransportSettings } from "./notify/channels.ts";
import { nodeHmac } from "./notify/node-hmac.ts";
import { startDeliveryPruning } from "./notify/prune-schedule.ts";
import { type Sender, startSender } from "./notify/sender.ts";
import {
  createRenderer,
  createThreadRenderer,
  currentSiteDir,
  type Renderer,
  type SiteChange,
} from "./render/index.ts";
import { type JobHandlers, type JobRunner, releaseAbandonedLeases, startJobRunner } from "./runner.ts";

/** How often the page checks whether a new UTC day began (for today's uptime bar). */
const DAY_CHECK_MS = 10 * 60_000;

/** How often the scheduler ticks (timed updates, maintenance windows, reminders): at most 15 s late. */
export const TICK_MS = 15_000;

export type RunningJobs = {
  runner: JobRunner;
  renderer: Renderer;
  /** Null when this process does not send (HERALD_SENDER=off: a separate `herald send` does). */
  sender: Sender | null;
  stop(): Promise<void>;
};

/**
 * The Node side of the outbox: builds one handler per job kind, starts the runner and the new-day
 * check. The whole site is rendered at start only when the live release is not current (none yet, a
 * new code version, another database, pages of a change left unwritten, or a dead render job): a first
 * start waits for its first page; later starts serve the last release while that full render runs.
 * Otherwise every change since the release (including those written while Herald was down, by the
 * Worker or before a crash) is still an outbox job, and the runner renders just those.
 */
export async function startJobs(options: {
  db: Db;
  clock: Clock;
  dataDir: string;
  siteDist: string;
  /** The code version (`dist/.build-hash`); without it every start renders the whole site. */
  build?: string | undefined;
  logRenders?: boolean;
  /**
   * Renders on a worker thread running this bundled file (dist/render-worker.mjs) with its own connection
   * to the database; without it, on this thread through `db`.
   */
  renderThread?: { workerFile: string; databaseUrl: string; databaseAuthToken: string | undefined } | undefined;
  /** Told about every file a render changes in the live site (the Node server keeps some in memory). */
  onSiteChange?: (change: SiteChange) => void;
  /** Where mail goes; no sender in this process when absent. */
  mail?:
    | {
        smtpUrl: string | undefined;
        /** How mail leaves (server/mail-config.ts); without it, SMTP_URL or `.eml` files. */
        transport?: MailTransportSettings | undefined;
        mailFrom: string;
        publicUrl: string;
        linkSecret?: string | undefined;
      }
    | undefined;
  /** How long sent and failed delivery rows are kept (DELIVERY_RETENTION); 0 or absent keeps them. */
  deliveryRetentionMs?: number | undefined;
  /** Page configuration the scheduler reads (team address for overdue reminders). */
  settings?: ActionContext["settings"];
}): Promise<RunningJobs> {
  const { db, clock, dataDir } = options;
  const onChange = options.onSiteChange ? { onChange: options.onSiteChange } : {};
  const { renderThread } = options;
  const renderer = renderThread
    ? await createThreadRenderer({
        workerFile: renderThread.workerFile,
        data: {
          databaseUrl: renderThread.databaseUrl,
          databaseAuthToken: renderThread.databaseAuthToken,
          dataDir,
          siteDist: options.siteDist,
          build: options.build,
        },
        ...onChange,
      })
    : await createRenderer({ db, dataDir, siteDist: options.siteDist, build: options.build, ...onChange });
  await releaseAbandonedLeases(db);
  const hasRelease = await realpath(currentSiteDir(dataDir)).then(
    () => true,
    () => false,
  );
  const current = hasRelease && (await renderer.liveReleaseIsCurrent()) && !(await hasDeadRenderJobs(db));
  const fullRender = current ? Promise.resolve(null) : renderer.renderAll();
  if (!hasRelease) await fullRender;
  else if (!current) {
    console.log(
      "Herald: rendering the whole site (new code version or unfinished pages); the last release stays live.",
    );
    fullRender.catch((error: unknown) =>
      console.error("Herald: the full render failed; the last release stays live.", error),
    );
  }

  const { mail } = options;
  const sender = mail
    ? startSender({
        db,
        clock,
        channels: deliveryChannels({
          smtpUrl: mail.smtpUrl,
          transport: mail.transport,
          dataDir,
          webhookPolicy: webhookUrlPolicy(options.settings),
        }),
        context: {
          db,
          clock,
          publicUrl: mail.publicUrl,
          mailFrom: mail.mailFrom,
          linkSecret: mail.linkSecret,
          hmac: nodeHmac,
        },
      })
    : null;
  const handlers: JobHandlers = {
    render: renderHandler(renderer, { logRenders: options.logRenders ?? false }),
    notify: notifyHandler(db, clock, { onQueued: () => sender?.wake() }),
  };
  const runner = startJobRunner({ db, clock, handlers });
  const pruning = startDeliveryPruning(db, clock, options.deliveryRetentionMs ?? 0);

  const system: ActionContext = {
    db,
    clock,
    actor: SYSTEM_ACTOR,
    onCommit: () => runner.wake(),
    settings: options.settings,
  };
  const newDay = () =>
    run(system, startNewDay, {}).catch((error: unknown) =>
      console.error("Herald: could not start the new day.", error),
    );
  await newDay();
  const dayTimer = setInterval(newDay, DAY_CHECK_MS);
  dayTimer.unref();
  let ticking: Promise<unknown> = Promise.resolve();
  const scheduler = () => {
    // One tick at a time in this process; another process ticking meanwhile is safe (see core/scheduler/tick.ts).
    ticking = ticking.then(() =>
      tick(system).catch((error: unknown) => console.error("Herald: the scheduler's tick failed.", error)),
    );
  };
  scheduler();
  const tickTimer = setInterval(scheduler, TICK_MS);
  tickTimer.unref();

  return {
    runner,
    renderer,
    sender,
    async stop() {
      clearInterval(dayTimer);
      clearInterval(tickTimer);
      await ticking;
      await pruning.stop();
      await runner.stop();
      // Drains: the mail in flight is finished and recorded before the process exits.
      await sender?.stop();
      await fullRender.catch(() => {});
      await renderer.close();
    },
  };
}

async function hasDeadRenderJobs(db: Db): Promise<boolean> {
  const [dead] = await db
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(eq(jobs.kind, "render"), eq(jobs.state, "dead")))
    .limit(1);
  return dead !== undefined;
}
