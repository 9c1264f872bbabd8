import type { WebhookFormat } from "../../../db/enums.ts";
import type { MailReview } from "../mail-types.ts";
import { discordMarkdownText, slackLinkUrl, slackMrkdwnText } from "./chat-escape.ts";
import { WEBHOOK_PAYLOAD_VERSION } from "./contract.ts";
import { statuspageEnvelope, teamsCard, teamsText } from "./payloads.ts";
import type { SubscriberLinks } from "./view.ts";

/** What every format of the weekly review is built from, read once per event (core/review/weekly/). */
export type ReviewWebhookView = {
  event: { id: string; name: string; createdAt: string };
  page: { id: string; name: string; status: { indicator: string; description: string } };
  subject: string;
  review: MailReview;
  documentation: string;
};

export function reviewWebhookPayload(format: WebhookFormat, view: ReviewWebhookView, links: SubscriberLinks): unknown {
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

function jsonPayload(view: ReviewWebhookView, links: SubscriberLinks) {
  const { review } = view;
  return {
    ...statuspageEnvelope(view.page, { unsubscribe: links.unsubscribe, documentation: view.documentation }),
    review: {
      week: review.week,
      period: review.period,
      figures: review.figures,
      worst_first_post: review.worstFirstPost,
      worst_promises: review.worstPromises,
      postmortems_due: review.postmortemsDue,
      sunsets: review.sunsets,
    },
    herald: {
      version: WEBHOOK_PAYLOAD_VERSION,
      event: view.event.name,
      event_id: view.event.id,
      created_at: view.event.createdAt,
      links: { console: review.link, ...links, documentation: view.documentation },
    },
  };
}

/** The figures as lines a chat shows: "Incidents: 2 (week before 1, up 1 (worse))". */
function figureLines(review: MailReview): string[] {
  return review.figures.map((f) => `${f.label}: ${f.now} (week before ${f.before}, ${f.change})`);
}

function listLines(review: MailReview): string[] {
  return [
    ...review.worstFirstPost.map((i) => `Slow first post: ${i.name}, ${i.figure}`),
    ...review.worstPromises.map((i) => `Promises missed: ${i.name}, ${i.figure}`),
    ...review.postmortemsDue.map((i) => `Postmortem due: ${i.name}, ${i.figure}`),
    ...review.sunsets.map((i) => `Sunset soon: ${i.name}, ${i.figure}`),
  ];
}

function clip(text: string, max: number): string {
  const characters = [...text];
  return characters.length <= max ? text : `${characters.slice(0, max - 1).join("")}…`;
}

const plain = (text: string) => ({ type: "plain_text", text, emoji: false });

/** Block Kit, every value in `plain_text`; the console link under a fixed label. */
function slackPayload(view: ReviewWebhookView) {
  const lists = listLines(view.review);
  return {
    text: clip(`${slackMrkdwnText(view.subject)}: ${slackLinkUrl(view.review.link)}`, 3000),
    blocks: [
      { type: "header", text: plain(clip(view.subject, 150)) },
      { type: "context", elements: [plain(clip(`${view.review.week} · ${view.review.period}`, 3000))] },
      { type: "section", text: plain(clip(figureLines(view.review).join("\n"), 3000)) },
      ...(lists.length > 0 ? [{ type: "section", text: plain(clip(lists.join("\n"), 3000)) }] : []),
      { type: "section", text: { type: "mrkdwn", text: `<${slackLinkUrl(view.review.link)}|Open the review>` } },
    ],
    unfurl_links: false,
    unfurl_media: false,
  };
}

function discordPayload(view: ReviewWebhookView) {
  const lists = listLines(view.review).map(discordMarkdownText);
  return {
    username: clip(view.page.name, 80),
    allowed_mentions: { parse: [] },
    embeds: [
      {
        title: clip(discordMarkdownText(view.subject), 256),
        url: view.review.link,
        description: clip(figureLines(view.review).map(discordMarkdownText).join("\n"), 4096),
        color: 0x0969da,
        fields: lists.length > 0 ? [{ name: "Worst and due", value: clip(lists.join("\n"), 1024), inline: false }] : [],
        timestamp: view.event.createdAt,
        footer: { text: clip(`${view.review.week} · ${view.page.name}`, 2048) },
      },
    ],
  };
}

function teamsPayload(view: ReviewWebhookView) {
  return teamsCard(
    [
      teamsText(`${view.page.name} · ${view.review.period}`, { size: "Small", isSubtle: true }),
      teamsText(view.subject, { size: "Large", weight: "Bolder" }),
      ...figureLines(view.review).map((line) => teamsText(line)),
      ...listLines(view.review).map((line) => teamsText(line, { isSubtle: true })),
    ],
    { title: "Open the review", url: view.review.link },
  );
}
