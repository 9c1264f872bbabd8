import type { PageRow } from "../../model/rows.ts";
import { getPage } from "../../page/get-page.ts";
import { personMail } from "../../people/person-mail.ts";
import { personMailOf } from "../../people/person-mail-events.ts";
import { apiOrigin, paths } from "../../public/paths.ts";
import { linkSigner } from "../../subscribers/signed-links.ts";
import type { Channel, ChannelContext, EmailMessage, MessageBuilder, NotificationEvent } from "../channel.ts";
import { eventContract } from "../events.ts";
import { mailSender } from "../mail-sender.ts";
import { loadMailView } from "../mail-view.ts";
import { buildEmail } from "./build-email.ts";

/**
 * The email channel's `forEvent`: the mail view is loaded (and its templates rendered) once per event;
 * each subscriber's mail then costs its signed links and a string replace. A personal event (a
 * confirmation, a webhook's disabled notice) goes to its subscriber whatever its channel (a webhook's
 * owner); any other event only to email subscribers.
 */
export const emailMessagesFor: Channel<"email">["forEvent"] = async (ctx, event) => {
  // Signed links and the console are answered by the API: in the split layout it is not where the page is.
  const page = await getPage(ctx.db);
  const origin = apiOrigin(page, ctx.publicUrl);
  const link = personMailOf(event.id);
  if (link) return personMailFor(ctx, event, link, origin, page);
  const view = await loadMailView(ctx.db, event, { mailFrom: ctx.mailFrom, consoleOrigin: origin });
  if (!view) return null;
  const signer = await linkSigner(ctx.db, ctx.clock, ctx.linkSecret, ctx.hmac);
  const contract = eventContract(event.kind);
  if (!contract?.channels.email) return null;
  // A personal or team mail goes to one person, not a subscriber: no preferences or unsubscribe links.
  const personal = contract.audience !== "public";
  const anyChannel = contract.audience === "personal";
  return async (subscriber): Promise<EmailMessage | null> => {
    if (!anyChannel && subscriber.channel !== "email") return null;
    const now = ctx.clock.now();
    const sign = (purpose: "confirm" | "manage" | "unsubscribe") =>
      signer.sign({ subscriberId: subscriber.id, purpose }, now);
    const links = personal
      ? event.kind === "subscription.confirm"
        ? { confirm: `${origin}${paths.confirmSubscription(await sign("confirm"))}` }
        : {}
      : {
          preferences: `${origin}${paths.managePreferences(await sign("manage"))}`,
          unsubscribe: `${origin}${paths.unsubscribe(await sign("unsubscribe"))}`,
        };
    return buildEmail(view, subscriber, links);
  };
};

/**
 * A person's invitation or sign-in link (core/people/person-mail.ts builds it, deriving the link again from
 * the row id), to the one address the event names; nothing when the link is no longer worth sending.
 */
async function personMailFor(
  ctx: ChannelContext,
  event: NotificationEvent,
  link: NonNullable<ReturnType<typeof personMailOf>>,
  origin: string,
  page: PageRow,
): Promise<MessageBuilder<"email"> | null> {
  const host = new URL(page.url).hostname || "herald.invalid";
  const message = await personMail(
    {
      db: ctx.db,
      clock: ctx.clock,
      settings: { linkSecret: ctx.linkSecret },
      publicUrl: origin,
      mailFrom: ctx.mailFrom,
    },
    link.purpose,
    link.id,
  );
  if (!message) return null;
  return (subscriber) =>
    subscriber.id === event.subscriberId
      ? { ...message, from: mailSender(page, ctx.mailFrom, host), messageId: `<${event.id}.${subscriber.id}@${host}>` }
      : null;
}
