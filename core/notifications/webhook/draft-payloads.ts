import type { Db } from "../../../db/client.ts";
import type { WebhookFormat } from "../../../db/enums.ts";
import { consoleDraftPath } from "../../alerts/drafts/console-path.ts";
import { type DraftNoticeFacts, draftNoticeFacts } from "../../alerts/drafts/notice-facts.ts";
import { listComponents } from "../../components/load-components.ts";
import { listIncidents } from "../../incidents/load-incidents.ts";
import type { PageStatus } from "../../model/statuses.ts";
import { getPage } from "../../page/get-page.ts";
import { componentLook } from "../../presentation/status.ts";
import { formatMinutes } from "../../presentation/time.ts";
import { pageStatus } from "../../public/statuspage.ts";
import { EVENTS } from "../events.ts";
import { discordMarkdownText, slackLinkUrl, slackMrkdwnText } from "./chat-escape.ts";
import { WEBHOOK_PAYLOAD_VERSION, type WebhookKind, webhookEventOf } from "./contract.ts";
import { statuspageEnvelope, teamsCard, teamsText } from "./payloads.ts";
import type { SubscriberLinks } from "./view.ts";

/** What every format of a draft notice is built from, read once per event. */
export type DraftWebhookView = {
  event: { id: string; kind: WebhookKind; createdAt: string };
  page: { id: string; name: string; status: PageStatus };
  facts: DraftNoticeFacts;
  subject: string;
  links: { console: string; documentation: string };
};

export async function buildDraftWebhookView(
  db: Db,
  event: { id: string; kind: WebhookKind; createdAt: string },
  consoleOrigin: string,
  documentation: string,
): Promise<DraftWebhookView | null> {
  const facts = await draftNoticeFacts(db, event);
  if (!facts) return null;
  const [page, components, open] = await Promise.all([
    getPage(db),
    listComponents(db),
    listIncidents(db, { open: true }),
  ]);
  const subject = EVENTS[event.kind].subject({
    page: page.name,
    incident: facts.draft.name,
    status: null,
    webhookHost: null,
  });
  return {
    event,
    page: { id: page.id, name: page.name, status: pageStatus(components, open) },
    facts,
    subject,
    links: { console: `${consoleOrigin.replace(/\/+$/, "")}${consoleDraftPath(facts.draft.id)}`, documentation },
  };
}

export function draftWebhookPayload(format: WebhookFormat, view: DraftWebhookView, links: SubscriberLinks): unknown {
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

function jsonPayload(view: DraftWebhookView, links: SubscriberLinks) {
  const { draft } = view.facts;
  return {
    ...statuspageEnvelope(view.page, { unsubscribe: links.unsubscribe, documentation: view.links.documentation }),
    draft: {
      id: draft.id,
      name: draft.name,
      status: draft.status,
      impact: draft.impact,
      body: draft.body,
      components: view.facts.components,
      alerts: draft.alerts.map(({ resolved_at: _, ...alert }) => alert),
      created_at: draft.created_at,
      auto_publish_at: draft.auto_publish_at,
    },
    herald: {
      version: WEBHOOK_PAYLOAD_VERSION,
      event: webhookEventOf(view.event.kind),
      event_id: view.event.id,
      created_at: view.event.createdAt,
      notice: view.facts.notice,
      waiting_minutes: view.facts.waitingMinutes,
      links: { console: view.links.console, ...links, documentation: view.links.documentation },
    },
  };
}

function alertLines(view: DraftWebhookView): string[] {
  return view.facts.draft.alerts.map((a) => `${a.summary || a.fingerprint}${a.severity ? ` (${a.severity})` : ""}`);
}

function componentLines(view: DraftWebhookView): string[] {
  return view.facts.components.map((c) => `${c.name}: ${componentLook(c.status).label}`);
}

function waited(view: DraftWebhookView): string {
  return `Waiting ${formatMinutes(view.facts.waitingMinutes)} for someone to publish it. Nothing is published yet.`;
}

function clip(text: string, max: number): string {
  const characters = [...text];
  return characters.length <= max ? text : `${characters.slice(0, max - 1).join("")}…`;
}

const plain = (text: string) => ({ type: "plain_text", text, emoji: false });

/** Block Kit, every value in `plain_text`; the console link under a fixed label. */
function slackPayload(view: DraftWebhookView) {
  const blocks: unknown[] = [
    { type: "header", text: plain(clip(view.subject, 150)) },
    { type: "section", text: plain(clip([waited(view), ...alertLines(view).map((l) => `• ${l}`)].join("\n"), 3000)) },
  ];
  const components = componentLines(view);
  blocks.push({
    type: "context",
    elements: [
      ...(components.length > 0 ? [plain(clip(components.join(" · "), 3000))] : []),
      plain(clip(view.page.name, 3000)),
    ],
  });
  blocks.push({
    type: "section",
    text: { type: "mrkdwn", text: `<${slackLinkUrl(view.links.console)}|Review and publish>` },
  });
  return {
    text: clip(`${slackMrkdwnText(view.subject)}: ${slackLinkUrl(view.links.console)}`, 3000),
    blocks,
    unfurl_links: false,
    unfurl_media: false,
  };
}

function discordPayload(view: DraftWebhookView) {
  const alerts = alertLines(view).map((l) => `• ${discordMarkdownText(l)}`);
  const components = componentLines(view).map(discordMarkdownText);
  return {
    username: clip(view.page.name, 80),
    allowed_mentions: { parse: [] },
    embeds: [
      {
        title: clip(discordMarkdownText(view.subject), 256),
        url: view.links.console,
        description: clip([discordMarkdownText(waited(view)), ...alerts].join("\n"), 4096),
        color: 0xd29922,
        fields:
          components.length > 0
            ? [{ name: "Components", value: clip(components.join("\n"), 1024), inline: false }]
            : [],
        timestamp: view.event.createdAt,
        footer: { text: clip(view.page.name, 2048) },
      },
    ],
  };
}

function teamsPayload(view: DraftWebhookView) {
  return teamsCard(
    [
      teamsText(view.page.name, { size: "Small", isSubtle: true }),
      teamsText(view.subject, { size: "Large", weight: "Bolder" }),
      teamsText(waited(view)),
      ...alertLines(view).map((line) => teamsText(`• ${line}`)),
      ...componentLines(view).map((line) => teamsText(line, { isSubtle: true })),
    ],
    { title: "Review and publish", url: view.links.console },
  );
}
