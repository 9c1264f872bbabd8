import { systemClock } from "../core/actions/clock.ts";
import { webhookUrlPolicy } from "../core/webhook-subscribers/url-policy.ts";
import { deliveryChannels } from "../jobs/notify/channels.ts";
import { nodeHmac } from "../jobs/notify/node-hmac.ts";
import { startSender } from "../jobs/notify/sender.ts";
import type { NodeConfig } from "./config.ts";
import { openSetUpDatabase } from "./setup.ts";

/**
 * `herald send`: only the sender, as its own process (with `HERALD_SENDER=off` on `herald start`, or
 * on another machine pointed at the same database). SIGTERM/SIGINT drain the mail in flight and exit.
 */
export async function runSendProcess(config: NodeConfig): Promise<number> {
  const clock = systemClock;
  const db = await openSetUpDatabase(config, clock);
  const sender = startSender({
    db,
    clock,
    channels: deliveryChannels({
      smtpUrl: config.smtpUrl,
      dataDir: config.dataDir,
      webhookPolicy: webhookUrlPolicy(config.settings),
    }),
    context: {
      db,
      clock,
      publicUrl: config.publicUrl,
      mailFrom: config.mailFrom,
      linkSecret: config.linkSecret,
      hmac: nodeHmac,
    },
    heartbeatMs: config.senderTimings.heartbeatMs,
    takeoverMs: config.senderTimings.takeoverMs,
    pollMs: config.senderTimings.pollMs,
    fastCommits: true,
  });
  await sender.started;
  console.log(`Herald sender: sending (${config.smtpUrl ? "SMTP" : `mail written to ${config.dataDir}/mail/`}).`);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await sender.stop();
  db.$client.close();
  console.log("Herald sender: stopped.");
  return 0;
}
