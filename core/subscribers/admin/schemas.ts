import { z } from "zod";
import { forbiddenCharacter } from "../../text/safe-text.ts";
import { emailAddress } from "../email-address.ts";

export {
  SUBSCRIBER_CHANNELS,
  SUBSCRIBER_STATES,
  type SubscriberChannel,
  type SubscriberState,
} from "../../../db/enums.ts";

export const addSubscriberInput = z
  .object({
    address: emailAddress.describe("the email address; stored trimmed and in lower case"),
    components: z
      .array(z.string().min(1).max(64))
      .min(1, "give at least one component, or leave components out for the whole page")
      .max(1000)
      .optional()
      .describe("component or group ids; absent: the whole page"),
  })
  .strict();

export const importSubscribersInput = z
  .object({
    csv: z
      .string()
      .check((ctx) => {
        const found = forbiddenCharacter(ctx.value, { multiline: true });
        if (found) ctx.issues.push({ code: "custom", message: found, input: ctx.value, abort: true });
      })
      .describe(
        "CSV with a header row naming an `address` column and optionally `components` (ids or names, separated by `;`) and `state` (active, quarantined, unsubscribed); other columns are ignored",
      ),
  })
  .strict();

export type AddSubscriberInput = z.output<typeof addSubscriberInput>;
