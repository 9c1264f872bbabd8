import type { EmailMessage, Transport } from "../../core/notifications/channel.ts";
import { type PersonMailContext, personMail } from "../../core/people/person-mail.ts";
import type { JobHandler } from "../runner.ts";

/**
 * Sends a person's invitation or sign-in link queued as a `person_mail` job by an earlier Herald (they are
 * personal notification events now, core/people/person-mail-events.ts, sent and logged like any mail). A temporary refusal throws, so the runner retries the
 * job; a link no longer worth sending is dropped.
 */
export function personMailHandler(
  ctx: PersonMailContext,
  transport: Transport<"email"> | undefined,
): JobHandler<"person_mail"> {
  return async (due) => {
    for (const job of due) {
      const message: EmailMessage | null = await personMail(ctx, job.payload.purpose, job.payload.id);
      if (!message) continue;
      if (!transport) throw new Error("no mail transport in this process: person mail waits for one");
      const result = await transport.send(message);
      if (!result.ok && !result.permanent) throw new Error(`mail to a person refused for now: ${result.reply}`);
    }
  };
}
