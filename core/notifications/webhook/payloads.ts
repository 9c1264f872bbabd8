import { componentLook, impactLook, incidentTone, toneColour } from "../../presentation/status.ts";
import type { WebhookFormat } from "../../webhook-subscribers/schemas.ts";
import { discordMarkdownText, slackLinkUrl, slackMrkdwnText } from "./chat-escape.ts";
import { type HeraldBlock, WEBHOOK_PAYLOAD_VERSION } from "./contract.ts";
import type { SubscriberLinks, WebhookEventView } from "./view.ts";

/**
 * The body of one webhook POST in the subscriber's format. `json` is Statuspage's webhook payload
 * (docs/webhooks.md, "Formats and payload version 2") with Herald's `herald` block beside it (contract.ts). The
 * chat formats are what Slack, Discord and Microsoft Teams incoming webhooks accept.
 */
export function webhookPayload(format: WebhookFormat, view: WebhookEventView, links: SubscriberLinks): unknown {
  switch (format) {
    case "json":
      return statuspagePayload(view, links);
    case "slack":
      return slackPayload(view);
    case "discord":
      return discordPayload(view);
    case "teams":
      return teamsPayload(view);
  }
}

/** The first two keys of every `json` payload, as in Statuspage's webhooks: `meta` (links) and `page` (its status). */
export function statuspageEnvelope(
  page: { id: string; status: { indicator: string; description: string } },
  links: { unsubscribe: string; documentation: string },
) {
  return {
    meta: { unsubscribe: links.unsubscribe, documentation: links.documentation },
    page: { id: page.id, status_indicator: page.status.indicator, status_description: page.status.description },
  };
}

/** Statuspage's keys first and unchanged (existing consumers tell the kind by `incident`), then `herald`. */
export function statuspagePayload(view: WebhookEventView, links: SubscriberLinks) {
  return {
    ...statuspageEnvelope(view.page, { unsubscribe: links.unsubscribe, documentation: view.links.documentation }),
    incident: view.incident,
    herald: heraldBlock(view, links),
  };
}

function heraldBlock(view: WebhookEventView, links: SubscriberLinks): HeraldBlock {
  return {
    version: WEBHOOK_PAYLOAD_VERSION,
    event: view.event.name,
    event_id: view.event.id,
    created_at: view.event.createdAt,
    incident_update_id: view.event.updateId,
    next_update_due_at: view.nextUpdateDueAt,
    postmortem: view.postmortem,
    links: {
      incident: view.links.incident,
      manage: links.manage,
      unsubscribe: links.unsubscribe,
      documentation: view.links.documentation,
    },
  };
}

const SLACK_TEXT_MAX = 3000;
const SLACK_HEADER_MAX = 150;

function clip(text: string, max: number): string {
  const characters = [...text];
  return characters.length <= max ? text : `${characters.slice(0, max - 1).join("")}…`;
}

function title(view: WebhookEventView): string {
  return view.subject;
}

function componentLines(view: WebhookEventView): string[] {
  return view.components.map((c) => `${c.name}: ${componentLook(c.status).label}`);
}

function plainText(text: string) {
  return { type: "plain_text", text, emoji: false };
}

/**
 * Block Kit: every template value in a `plain_text` object (never formatted), the link under a fixed
 * label; the `text` fallback (notifications, old clients) is mrkdwn, so it is escaped.
 */
export function slackPayload(view: WebhookEventView) {
  const components = componentLines(view);
  const blocks: unknown[] = [{ type: "header", text: plainText(clip(title(view), SLACK_HEADER_MAX)) }];
  if (view.update?.text) blocks.push({ type: "section", text: plainText(clip(view.update.text, SLACK_TEXT_MAX)) });
  blocks.push({
    type: "context",
    elements: [
      ...(components.length > 0 ? [plainText(clip(components.join(" · "), SLACK_TEXT_MAX))] : []),
      plainText(clip(view.page.name, SLACK_TEXT_MAX)),
    ],
  });
  blocks.push({
    type: "section",
    text: { type: "mrkdwn", text: `<${slackLinkUrl(view.links.incident)}|View on the status page>` },
  });
  return {
    text: clip(`${slackMrkdwnText(title(view))}: ${slackLinkUrl(view.links.incident)}`, SLACK_TEXT_MAX),
    blocks,
    unfurl_links: false,
    unfurl_media: false,
  };
}

/** The embed's stripe: the tone the page gives the incident (its impact while open, settled once closed). */
function discordColour(incident: WebhookEventView["incident"]): number {
  return Number.parseInt(toneColour(incidentTone(incident.status, incident.impact)).slice(1), 16);
}

/**
 * One embed. Title, description and field values are Discord markdown, so every template value in them
 * is escaped; `allowed_mentions` with no parse keeps "@everyone" in update text from pinging anyone.
 * The username and footer are shown as typed.
 */
export function discordPayload(view: WebhookEventView) {
  const components = componentLines(view).map(discordMarkdownText);
  return {
    username: clip(view.page.name, 80),
    allowed_mentions: { parse: [] },
    embeds: [
      {
        title: clip(discordMarkdownText(title(view)), 256),
        url: view.links.incident,
        description: clip(discordMarkdownText(view.update?.text ?? ""), 4096),
        color: discordColour(view.incident),
        fields: [
          { name: "Status", value: discordMarkdownText(view.statusLabel), inline: true },
          { name: "Impact", value: impactLook(view.incident.impact).label, inline: true },
          ...(components.length > 0
            ? [{ name: "Components", value: clip(components.join("\n"), 1024), inline: false }]
            : []),
        ],
        timestamp: view.update?.displayAt ?? view.incident.updated_at,
        footer: { text: clip(view.page.name, 2048) },
      },
    ],
  };
}

/** Text that Teams never reads as markdown: a `RichTextBlock`'s `TextRun` (a `TextBlock` or a `FactSet` would be). */
/** One line of an Adaptive Card: a `RichTextBlock` whose text is a `TextRun` (never parsed as Markdown by Teams). */
export function teamsText(text: string, run: Record<string, unknown> = {}, block: Record<string, unknown> = {}) {
  return { type: "RichTextBlock", ...block, inlines: [{ type: "TextRun", text, ...run }] };
}

/**
 * An Adaptive Card in a `message` envelope: what Teams' Workflows ("When a Teams webhook request is
 * received") and the older incoming-webhook connectors both accept. `button` opens a link.
 */
export function teamsCard(body: unknown[], button: { title: string; url: string }) {
  return {
    type: "message",
    attachments: [
      {
        contentType: "application/vnd.microsoft.card.adaptive",
        contentUrl: null,
        content: {
          $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
          type: "AdaptiveCard",
          version: "1.4",
          body,
          actions: [{ type: "Action.OpenUrl", ...button }],
        },
      },
    ],
  };
}

/** Every template value is a `TextRun`. */
export function teamsPayload(view: WebhookEventView) {
  return teamsCard(
    [
      teamsText(view.page.name, { size: "Small", isSubtle: true }),
      teamsText(title(view), { size: "Large", weight: "Bolder" }),
      ...(view.update?.text ? [teamsText(view.update.text)] : []),
      ...componentLines(view).map((line, index) =>
        teamsText(line, { isSubtle: true }, index === 0 ? { separator: true } : { spacing: "None" }),
      ),
    ],
    { title: "View on the status page", url: view.links.incident },
  );
}
