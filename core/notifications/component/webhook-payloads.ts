import type { Db } from "../../../db/client.ts";
import type { WebhookFormat } from "../../../db/enums.ts";
import { listComponents } from "../../components/load-components.ts";
import { listIncidents } from "../../incidents/load-incidents.ts";
import type { PageStatus } from "../../model/statuses.ts";
import { getPage } from "../../page/get-page.ts";
import { formatTime } from "../../presentation/time.ts";
import { paths, publicUrl } from "../../public/paths.ts";
import { pageStatus, type V2Component, v2Component } from "../../public/statuspage.ts";
import { EVENTS } from "../events.ts";
import { chatText } from "../plain-text.ts";
import { discordMarkdownText, slackLinkUrl, slackMrkdwnText } from "../webhook/chat-escape.ts";
import { WEBHOOK_PAYLOAD_VERSION, type WebhookKind, webhookEventOf } from "../webhook/contract.ts";
import { statuspageEnvelope, teamsCard, teamsText } from "../webhook/payloads.ts";
import type { SubscriberLinks } from "../webhook/view.ts";
import { type ComponentNoticeFacts, componentNoticeFacts } from "./notice-facts.ts";

/** What every format of a retirement notice is built from, read once per event. */
export type ComponentWebhookView = {
  event: { id: string; kind: WebhookKind; createdAt: string };
  page: { id: string; name: string; status: PageStatus };
  facts: ComponentNoticeFacts;
  v2: V2Component;
  subject: string;
  /** One sentence: what happened and when it leaves (or left), in the page's time zone. */
  summary: string;
  /** The team's message as plain text (chat formats). */
  message: string;
  links: { component: string; documentation: string };
};

export async function buildComponentWebhookView(
  db: Db,
  event: { id: string; kind: WebhookKind; createdAt: string; componentIds: string[]; subscriberId: string | null },
  documentation: string,
): Promise<ComponentWebhookView | null> {
  const facts = await componentNoticeFacts(db, event);
  if (!facts) return null;
  const [page, components, open] = await Promise.all([
    getPage(db),
    listComponents(db),
    listIncidents(db, { open: true }),
  ]);
  const { component } = facts;
  const subject = EVENTS[event.kind].subject({
    page: page.name,
    incident: null,
    status: null,
    webhookHost: null,
    component: component.name,
  });
  return {
    event: { id: event.id, kind: event.kind, createdAt: event.createdAt },
    page: { id: page.id, name: page.name, status: pageStatus(components, open) },
    facts,
    v2: v2Component(component, components, page.id),
    subject,
    summary: summary(event.kind, facts, formatTime(component.sunsetAt ?? event.createdAt, page.timeZone)),
    message: facts.messageHtml ? chatText(facts.messageHtml) : "",
    links: { component: publicUrl(page, paths.component(component.id)), documentation },
  };
}

function summary(kind: WebhookKind, facts: ComponentNoticeFacts, date: string): string {
  const name = facts.component.name;
  if (kind === "component.sunset") {
    return facts.subscriptionEnded
      ? `${name} has left the page. This subscription named only it and has ended: this is its last message.`
      : `${name} has left the page (${date}). Its history stays on its page.`;
  }
  if (kind === "component.sunset_reminder") return `Reminder: ${name} leaves the page on ${date}.`;
  return `${name} is deprecated and leaves the page on ${date}.`;
}

export function componentWebhookPayload(
  format: WebhookFormat,
  view: ComponentWebhookView,
  links: SubscriberLinks,
): unknown {
  switch (format) {
    case "json":
      return jsonPayload(view, links);
    case "slack":
      return slackPayload(view);
    case "discord":
      return discordPayload(view);
    case "teams":
      return teamsPayload(view);
  }
}

function jsonPayload(view: ComponentWebhookView, links: SubscriberLinks) {
  const { component } = view.facts;
  return {
    ...statuspageEnvelope(view.page, { unsubscribe: links.unsubscribe, documentation: view.links.documentation }),
    component: view.v2,
    herald: {
      version: WEBHOOK_PAYLOAD_VERSION,
      event: webhookEventOf(view.event.kind),
      event_id: view.event.id,
      created_at: view.event.createdAt,
      component: {
        id: component.id,
        name: component.name,
        stage: component.stage,
        sunset_at: component.sunsetAt,
        deprecated_at: component.deprecatedAt,
        message: component.deprecationMessage,
      },
      subscription_ended: view.facts.subscriptionEnded,
      links: { component: view.links.component, ...links, documentation: view.links.documentation },
    },
  };
}

function clip(text: string, max: number): string {
  const characters = [...text];
  return characters.length <= max ? text : `${characters.slice(0, max - 1).join("")}…`;
}

const plain = (text: string) => ({ type: "plain_text", text, emoji: false });

/** Block Kit, every value in `plain_text`; the component's page under a fixed label. */
function slackPayload(view: ComponentWebhookView) {
  const text = [view.summary, view.message].filter(Boolean).join("\n\n");
  return {
    text: clip(`${slackMrkdwnText(view.subject)}: ${slackLinkUrl(view.links.component)}`, 3000),
    blocks: [
      { type: "header", text: plain(clip(view.subject, 150)) },
      { type: "section", text: plain(clip(text, 3000)) },
      { type: "context", elements: [plain(clip(view.page.name, 3000))] },
      {
        type: "section",
        text: { type: "mrkdwn", text: `<${slackLinkUrl(view.links.component)}|View on the status page>` },
      },
    ],
    unfurl_links: false,
    unfurl_media: false,
  };
}

function discordPayload(view: ComponentWebhookView) {
  const text = [view.summary, view.message].filter(Boolean).map(discordMarkdownText).join("\n\n");
  return {
    username: clip(view.page.name, 80),
    allowed_mentions: { parse: [] },
    embeds: [
      {
        title: clip(discordMarkdownText(view.subject), 256),
        url: view.links.component,
        description: clip(text, 4096),
        color: 0x57606a,
        timestamp: view.event.createdAt,
        footer: { text: clip(view.page.name, 2048) },
      },
    ],
  };
}

function teamsPayload(view: ComponentWebhookView) {
  return teamsCard(
    [
      teamsText(view.page.name, { size: "Small", isSubtle: true }),
      teamsText(view.subject, { size: "Large", weight: "Bolder" }),
      teamsText(view.summary),
      ...(view.message ? [teamsText(view.message)] : []),
    ],
    { title: "View on the status page", url: view.links.component },
  );
}
