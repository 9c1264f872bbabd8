import { getPage } from "../../page/get-page.ts";
import { apiOrigin, paths } from "../../public/paths.ts";
import { buildReviewWebhookView } from "../../review/weekly/webhook-view.ts";
import { linkSigner } from "../../subscribers/signed-links.ts";
import type { Channel, ChannelContext, MessageBuilder, WebhookRequest } from "../channel.ts";
import { isComponentKind } from "../component/notice-facts.ts";
import { buildComponentWebhookView, componentWebhookPayload } from "../component/webhook-payloads.ts";
import { isDraftKind } from "../draft-mail-view.ts";
import { EVENTS } from "../events.ts";
import { buildWebhookEventView, webhookDocumentationUrl } from "./build-view.ts";
import { isWebhookKind, type WebhookKind } from "./contract.ts";
import { buildDraftWebhookView, draftWebhookPayload } from "./draft-payloads.ts";
import { signedWebhookRequest, webhookRequest } from "./request.ts";
import { reviewWebhookPayload } from "./review-payloads.ts";

/**
 * The webhook channel's `forEvent`: the view is read once per event, each subscriber's signed POST is
 * built from it with its own signed manage and unsubscribe links. A kind without a webhook event type
 * (a self-serve confirmation, the disabled notice) is never POSTed: it goes by mail.
 */
export const webhookMessagesFor: Channel<"webhook">["forEvent"] = async (ctx, event) => {
  if (isDraftKind(event.kind) && isWebhookKind(event.kind))
    return draftMessagesFor(ctx, { ...event, kind: event.kind });
  if (event.kind === "review.weekly") return reviewMessagesFor(ctx, event);
  if (isComponentKind(event.kind) && isWebhookKind(event.kind))
    return componentMessagesFor(ctx, { ...event, kind: event.kind });
  const view = await buildWebhookEventView(ctx.db, event, ctx.publicUrl);
  if (!view) return null;
  const formats: readonly string[] = EVENTS[view.event.kind].channels.webhook;
  const signer = await linkSigner(ctx.db, ctx.clock, ctx.linkSecret, ctx.hmac);
  // Signed links are answered by the API: in the split layout it is not where the page is.
  const origin = apiOrigin(await getPage(ctx.db), ctx.publicUrl);
  return async (subscriber): Promise<WebhookRequest | null> => {
    if (subscriber.channel !== "webhook" || subscriber.state !== "active" || !formats.includes(subscriber.format)) {
      return null;
    }
    const now = ctx.clock.now();
    const sign = (purpose: "manage" | "unsubscribe") => signer.sign({ subscriberId: subscriber.id, purpose }, now);
    const links = {
      manage: `${origin}${paths.managePreferences(await sign("manage"))}`,
      unsubscribe: `${origin}${paths.unsubscribe(await sign("unsubscribe"))}`,
    };
    return webhookRequest(view, subscriber, links, ctx.clock);
  };
};

/** The weekly review: the week's figures instead of an incident, the console's review screen as its link. */
async function reviewMessagesFor(
  ctx: ChannelContext,
  event: { id: string; createdAt: string },
): Promise<MessageBuilder<"webhook"> | null> {
  const origin = apiOrigin(await getPage(ctx.db), ctx.publicUrl);
  const view = await buildReviewWebhookView(ctx.db, event, origin, webhookDocumentationUrl(ctx.publicUrl));
  if (!view) return null;
  const formats: readonly string[] = EVENTS["review.weekly"].channels.webhook;
  const signer = await linkSigner(ctx.db, ctx.clock, ctx.linkSecret, ctx.hmac);
  return async (subscriber): Promise<WebhookRequest | null> => {
    if (subscriber.channel !== "webhook" || subscriber.state !== "active" || !formats.includes(subscriber.format)) {
      return null;
    }
    const now = ctx.clock.now();
    const sign = (purpose: "manage" | "unsubscribe") => signer.sign({ subscriberId: subscriber.id, purpose }, now);
    const links = {
      manage: `${origin}${paths.managePreferences(await sign("manage"))}`,
      unsubscribe: `${origin}${paths.unsubscribe(await sign("unsubscribe"))}`,
    };
    return signedWebhookRequest(event.id, subscriber, (format) => reviewWebhookPayload(format, view, links), ctx.clock);
  };
}

/** A draft's team notice: the draft and its alerts instead of an incident, the console's draft screen as its link. */
async function draftMessagesFor(
  ctx: ChannelContext,
  event: { id: string; kind: WebhookKind; createdAt: string },
): Promise<MessageBuilder<"webhook"> | null> {
  // The console, like signed links, is served by the API: in the split layout it is not where the page is.
  const origin = apiOrigin(await getPage(ctx.db), ctx.publicUrl);
  const view = await buildDraftWebhookView(ctx.db, event, origin, webhookDocumentationUrl(ctx.publicUrl));
  if (!view) return null;
  const formats: readonly string[] = EVENTS[event.kind].channels.webhook;
  const signer = await linkSigner(ctx.db, ctx.clock, ctx.linkSecret, ctx.hmac);
  return async (subscriber): Promise<WebhookRequest | null> => {
    if (subscriber.channel !== "webhook" || subscriber.state !== "active" || !formats.includes(subscriber.format)) {
      return null;
    }
    const now = ctx.clock.now();
    const sign = (purpose: "manage" | "unsubscribe") => signer.sign({ subscriberId: subscriber.id, purpose }, now);
    const links = {
      manage: `${origin}${paths.managePreferences(await sign("manage"))}`,
      unsubscribe: `${origin}${paths.unsubscribe(await sign("unsubscribe"))}`,
    };
    return signedWebhookRequest(event.id, subscriber, (format) => draftWebhookPayload(format, view, links), ctx.clock);
  };
}

/**
 * A component's retirement notice: the component instead of an incident. An event addressed to one
 * subscriber is the last message of a subscription that ended at the sunset: it goes although the
 * subscription is no longer active.
 */
async function componentMessagesFor(
  ctx: ChannelContext,
  event: { id: string; kind: WebhookKind; createdAt: string; componentIds: string[]; subscriberId: string | null },
): Promise<MessageBuilder<"webhook"> | null> {
  const view = await buildComponentWebhookView(ctx.db, event, webhookDocumentationUrl(ctx.publicUrl));
  if (!view) return null;
  const formats: readonly string[] = EVENTS[event.kind].channels.webhook;
  const signer = await linkSigner(ctx.db, ctx.clock, ctx.linkSecret, ctx.hmac);
  const origin = apiOrigin(await getPage(ctx.db), ctx.publicUrl);
  return async (subscriber): Promise<WebhookRequest | null> => {
    const addressed = event.subscriberId === subscriber.id;
    if (subscriber.channel !== "webhook" || !formats.includes(subscriber.format)) return null;
    if (subscriber.state !== "active" && !addressed) return null;
    const now = ctx.clock.now();
    const sign = (purpose: "manage" | "unsubscribe") => signer.sign({ subscriberId: subscriber.id, purpose }, now);
    const links = {
      manage: `${origin}${paths.managePreferences(await sign("manage"))}`,
      unsubscribe: `${origin}${paths.unsubscribe(await sign("unsubscribe"))}`,
    };
    return signedWebhookRequest(
      event.id,
      subscriber,
      (format) => componentWebhookPayload(format, view, links),
      ctx.clock,
    );
  };
}
