import type { EmailMessage, Transport } from "../../core/notifications/channel.ts";
import { type PersonMailContext, personMail } from "../../core/people/person-mail.ts";
import type { JobHandler } from "../runner.ts";

/**
 * Sends each person's invitation or sign-in link. A temporary refusal throws, so the runner retries the
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
