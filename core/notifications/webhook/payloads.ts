import type { WebhookFormat } from "../../webhooks/schemas.ts";
import { componentStatusLabel, type WebhookEventView } from "./view.ts";

/**
 * The body of one webhook POST in the subscriber's format. `json` is Statuspage's webhook payload
 * (statuspage-api.md, "Webhook payloads"): receivers tell the kind by the top-level key. The chat
 * formats are what Slack, Discord and Microsoft Teams incoming webhooks accept.
 */
export function webhookPayload(format: WebhookFormat, view: WebhookEventView): unknown {
  switch (format) {
    case "json":
      return statuspagePayload(view);
    case "slack":
      return slackPayload(view);
    case "discord":
      return discordPayload(view);
    case "teams":
      return teamsPayload(view);
  }
}

export function statuspagePayload(view: WebhookEventView) {
  return {
    meta: { unsubscribe: view.links.unsubscribe, documentation: view.links.documentation },
    page: {
      id: view.page.id,
      status_indicator: view.page.status.indicator,
      status_description: view.page.status.description,
    },
    incident: view.incident,
  };
}

const SLACK_TEXT_MAX = 3000;

/** Slack's mrkdwn treats &, < and > as markup: escape them so update text cannot mention @channel or fake a link. */
function slackEscape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function clip(text: string, max: number): string {
  const characters = [...text];
  return characters.length <= max ? text : `${characters.slice(0, max - 1).join("")}…`;
}

function title(view: WebhookEventView): string {
  return `[${view.statusLabel}] ${view.incident.name}`;
}

function componentLines(view: WebhookEventView): string[] {
  return view.components.map((c) => `${c.name}: ${componentStatusLabel(c.status)}`);
}

/** Block Kit with a plain `text` fallback (notifications and old clients show the fallback). */
export function slackPayload(view: WebhookEventView) {
  const components = componentLines(view);
  const blocks: unknown[] = [
    {
      type: "section",
      text: {
        type: "mrkdwn",
        text: clip(
          `*<${view.links.incident}|${slackEscape(title(view))}>*\n${slackEscape(view.page.name)}`,
          SLACK_TEXT_MAX,
        ),
      },
    },
  ];
  if (view.update?.text) {
    blocks.push({
      type: "section",
      text: { type: "plain_text", text: clip(view.update.text, SLACK_TEXT_MAX), emoji: false },
    });
  }
  if (components.length > 0) {
    blocks.push({
      type: "context",
      elements: [{ type: "plain_text", text: clip(components.join(" · "), SLACK_TEXT_MAX), emoji: false }],
    });
  }
  return { text: clip(`${title(view)}: ${view.links.incident}`, SLACK_TEXT_MAX), blocks, unfurl_links: false };
}

const DISCORD_COLORS: Record<string, number> = {
  none: 0x2fb344,
  minor: 0xf5a524,
  major: 0xe8590c,
  critical: 0xd63939,
  maintenance: 0x3b82f6,
};

/** One embed; `allowed_mentions` with no parse keeps "@everyone" in update text from pinging anyone. */
export function discordPayload(view: WebhookEventView) {
  const resolved = ["resolved", "postmortem", "completed"].includes(view.incident.status);
  const components = componentLines(view);
  return {
    username: clip(view.page.name, 80),
    allowed_mentions: { parse: [] },
    embeds: [
      {
        title: clip(title(view), 256),
        url: view.links.incident,
        description: clip(view.update?.text ?? "", 4096),
        color: resolved ? (DISCORD_COLORS.none ?? 0) : (DISCORD_COLORS[view.incident.impact] ?? 0),
        fields: [
          { name: "Status", value: view.statusLabel, inline: true },
          { name: "Impact", value: view.incident.impact, inline: true },
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

/**
 * An Adaptive Card in a `message` envelope: what Teams' Workflows ("When a Teams webhook request is
 * received") and the older incoming-webhook connectors both accept.
 */
export function teamsPayload(view: WebhookEventView) {
  const components = view.components.map((c) => ({
    title: c.name,
    value: componentStatusLabel(c.status),
  }));
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
          body: [
            { type: "TextBlock", text: view.page.name, size: "Small", isSubtle: true, wrap: true },
            { type: "TextBlock", text: title(view), size: "Large", weight: "Bolder", wrap: true },
            ...(view.update?.text ? [{ type: "TextBlock", text: view.update.text, wrap: true }] : []),
            ...(components.length > 0 ? [{ type: "FactSet", facts: components }] : []),
          ],
          actions: [{ type: "Action.OpenUrl", title: "View on the status page", url: view.links.incident }],
        },
      },
    ],
  };
}
