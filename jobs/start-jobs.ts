import type { Clock } from "../core/actions/clock.ts";
import { type ActionContext, SYSTEM_ACTOR } from "../core/actions/context.ts";
import { run } from "../core/actions/run.ts";
import { AUTOMATION_ACTOR } from "../core/alerts/automation/actor.ts";
import { newId } from "../core/model/ids.ts";
import { startNewDay } from "../core/page/start-new-day.ts";
import { tick } from "../core/scheduler/tick.ts";
import { webhookUrlPolicy } from "../core/webhook-subscribers/url-policy.ts";
import type { Db } from "../db/client.ts";
import { evaluateAlertsHandler } from "./handlers/evaluate-alerts.ts";
import { notifyHandler } from "./handlers/notify.ts";
import { personMailHandler } from "./handlers/person-mail.ts";
import { renderHandler } from "./handlers/render.ts";
import { ownerName } from "./locks.ts";
import { deliveryChannels, type MailTransportSettings } from "./notify/channels.ts";
import { nodeHmac } from "./notify/node-hmac.ts";
import { startDeliveryPruning } from "./notify/prune-schedule.ts";
import { type Sender, startSender } from "./notify/sender.ts";
import type { PublishSettings } from "./publish/settings.ts";
import { createRenderer, createThreadRenderer, type Renderer, type SiteChange } from "./render/index.ts";
import { renderCatchUp } from "./render-catch-up.ts";
import { RENDER_LOCK, type RenderLease, startRenderLease } from "./render-lease.ts";
import { type JobHandlers, type JobRunner, startJobRunner } from "./runner.ts";
import { RUNNER_TIMINGS, type RunnerTimings } from "./runner-timings.ts";

/** How often the page checks whether a new UTC day began (for today's uptime bar). */
const DAY_CHECK_MS = 10 * 60_000;

/** How often the scheduler ticks (timed updates, maintenance windows, reminders): at most 15 s late. */
export const TICK_MS = 15_000;

export type RunningJobs = {
  runner: JobRunner;
  renderer: Renderer;
  /** The render lease: only its holder renders (several runners on one database). */
  renderLease: RenderLease;
  /** Null when this process does not send (HERALD_SENDER=off: a separate `herald send` does). */
  sender: Sender | null;
  stop(): Promise<void>;
};

/**
 * The Node side of the outbox: builds one handler per job kind, starts the runner, the render lease and
 * the new-day check. Only the holder of the render lease renders (jobs/render-lease.ts); on taking it, it
 * first catches up (jobs/render-catch-up.ts): the whole site unless this folder rendered last and its
 * live release is current, as when the one runner of a database restarts; then every change since
 * (including those written while Herald was down, by the Worker or before a crash) is still an outbox
 * job, and the runner renders just those. A first start that takes the lease waits for its first page;
 * later starts serve the last release while a full render runs. A standby renders nothing until it
 * takes the lease over.
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
  /** Where each render is published besides the data folder (object storage), and the hook to call. */
  publish?: PublishSettings | undefined;
  /** HERALD_FRAME_ANCESTORS, for each release's `_headers`. */
  frameAncestors?: readonly string[] | undefined;
  /** The runner's heartbeat and takeover (its render lease and its job leases); RUNNER_TIMINGS by default. */
  timings?: RunnerTimings | undefined;
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
          publish: options.publish,
          frameAncestors: options.frameAncestors ?? [],
          logPublishes: options.logRenders ?? false,
        },
        ...onChange,
      })
    : await createRenderer({
        db,
        dataDir,
        siteDist: options.siteDist,
        build: options.build,
        publish: options.publish,
        frameAncestors: options.frameAncestors,
        logPublishes: options.logRenders,
        ...onChange,
      });
  const { mail } = options;
  const channels = mail
    ? deliveryChannels({
        smtpUrl: mail.smtpUrl,
        transport: mail.transport,
        dataDir,
        webhookPolicy: webhookUrlPolicy(options.settings),
      })
    : null;
  const sender = mail
    ? startSender({
        db,
        clock,
        channels: channels ?? {},
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
  const owner = ownerName(newId());
  const timings = options.timings ?? RUNNER_TIMINGS;
  // The runner and the lease refer to each other (the runner leases render jobs only while the lease is ready).
  let lease: RenderLease | null = null;
  const handlers: JobHandlers = {
    render: renderHandler(renderer, {
      logRenders: options.logRenders ?? false,
      lease: { signal: () => lease?.signal() ?? AbortSignal.abort() },
    }),
    notify: notifyHandler(db, clock, { onQueued: () => sender?.wake() }),
    person_mail: personMailHandler(
      {
        db,
        clock,
        settings: { ...options.settings, linkSecret: mail?.linkSecret },
        publicUrl: mail?.publicUrl ?? "",
        mailFrom: mail?.mailFrom ?? "",
      },
      channels?.email?.transport,
    ),
    evaluate_alerts: evaluateAlertsHandler({ db, clock, actor: AUTOMATION_ACTOR, onCommit: () => runner.wake() }),
  };
  const runner = startJobRunner({
    db,
    clock,
    handlers,
    owner,
    timings,
    exclusive: { render: { lock: RENDER_LOCK, ready: () => lease?.ready() ?? false } },
  });
  const catchUp = renderCatchUp({ db, clock, dataDir, owner, renderer });
  lease = startRenderLease({
    db,
    clock,
    owner,
    timings,
    catchUp: async (signal) => {
      await catchUp.run(signal);
      runner.wake();
    },
  });
  const renderLease = lease;
  if (await renderLease.firstAttempt) {
    const first = await catchUp.decided;
    if (!first.hadRelease)
      await catchUp.firstRun.catch(async (error: unknown) => {
        await runner.stop();
        await renderLease.stop();
        await sender?.stop();
        await renderer.close();
        throw error;
      });
  } else {
    console.log(
      `Herald: another runner holds the render lease; this one renders nothing and takes over within ${Math.ceil((timings.takeoverMs + timings.heartbeatMs) / 1000)} s if that one stops.`,
    );
  }
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
    renderLease,
    sender,
    async stop() {
      clearInterval(dayTimer);
      clearInterval(tickTimer);
      await ticking;
      await pruning.stop();
      await runner.stop();
      // Drains: the mail in flight is finished and recorded before the process exits.
      await sender?.stop();
      await renderer.settled();
      // Once nothing renders (a catch-up in progress finishes first): a standby takes over at its next attempt.
      await renderLease.stop();
      await renderer.close();
    },
  };
}
