import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { webhookMessagesFor } from "../../../core/notifications/webhook/channel.ts";
import { notificationEvents, subscribers } from "../../../db/schema.ts";
import { createWebhookTransport, type WebhookTransport } from "../../../jobs/notify/webhook-transport.ts";
import { createTestApi, PRIVATE_WEBHOOKS_ALLOWED, type TestApi } from "../../helpers/api.ts";
import { manualClock } from "../../helpers/database.ts";
import { startWebhookReceiver } from "../../helpers/webhook-receiver.ts";

/*
 * Hostile template values (names and update text that try to add a link, emphasis or a mention) sent to
 * Slack, Discord and Teams webhooks: each format is checked by its own rules of what becomes markup.
 */

const NAME = "*Outage* <https://evil.test|click> [x](http://e.test) @everyone _now_ ~gone~ `rm`";
const COMPONENT = "<!channel> **DB** [y](http://e.test) <@U123>";
const BODY = "<https://evil.test|click> *bold* [x](http://e.test) @everyone <@123> ||spoiler|| _it_";
/** The update's Markdown is the commander's own formatting: chats get its text, in which the rest stays as typed. */
const BODY_AS_TEXT = "x (http://e.test) @everyone <@123> ||spoiler|| it";

let api: TestApi;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let transport: WebhookTransport;
let link: string;

beforeEach(async () => {
  api = await createTestApi(manualClock(new Date().toISOString()), PRIVATE_WEBHOOKS_ALLOWED);
  receiver = await startWebhookReceiver();
  transport = createWebhookTransport({ policy: { allowPrivate: true }, timeoutMs: 2000 });
});
afterEach(async () => {
  await transport.close();
  await receiver.close();
  await api.cleanup();
});

async function ok<T = { id: string }>(method: string, path: string, json: unknown): Promise<T> {
  const response = await api.request<T>(method, path, { json, as: "admin" });
  expect(response.status, JSON.stringify(response.body)).toBeLessThan(300);
  return response.body;
}

/** What each chat webhook received for a hostile incident, sent by the channel the sender runs. */
async function chatBodies(): Promise<Record<"slack" | "discord" | "teams", Record<string, unknown>>> {
  const component = await ok("POST", "/api/components", { name: COMPONENT });
  const incident = await ok("POST", "/api/incidents", {
    name: NAME,
    status: "identified",
    body: BODY,
    components: { [component.id]: "major_outage" },
  });
  link = `https://status.acme.test/incidents/${incident.id}/`;
  for (const format of ["slack", "discord", "teams"]) {
    await ok("POST", "/api/webhooks", { url: receiver.url(`/${format}`), format, owner_email: "ops@acme.test" });
  }
  const [event] = await api.db.select().from(notificationEvents).where(eq(notificationEvents.incidentId, incident.id));
  if (!event) throw new Error("no event");
  const context = { db: api.db, clock: api.clock, publicUrl: "https://status.acme.test", mailFrom: "s@acme.test" };
  const build = await webhookMessagesFor(context, event);
  for (const webhook of await api.db.select().from(subscribers)) {
    const request = await build?.(webhook);
    if (!request) throw new Error(`nothing to send to ${webhook.format}`);
    expect((await transport.send(request)).ok).toBe(true);
  }
  const body = (format: string) => JSON.parse(receiver.received.find((r) => r.path === `/${format}`)?.body ?? "{}");
  return { slack: body("slack"), discord: body("discord"), teams: body("teams") };
}

/** Every object in a JSON tree, depth first. */
function objects(value: unknown): Record<string, unknown>[] {
  if (Array.isArray(value)) return value.flatMap(objects);
  if (value === null || typeof value !== "object") return [];
  const object = value as Record<string, unknown>;
  return [object, ...Object.values(object).flatMap(objects)];
}

describe("chat webhooks with hostile names and text", () => {
  it("no incident name, component name or update text becomes a link, emphasis or a mention in Slack, Discord or Teams", async () => {
    const { slack, discord, teams } = await chatBodies();

    // Slack: values only in plain_text (never formatted); the one mrkdwn link is ours, under our label; the
    // mrkdwn fallback has &, <, > as entities and each emphasis marker fenced by zero-width spaces.
    const slackTexts = objects(slack.blocks).filter((o) => o.type === "plain_text" || o.type === "mrkdwn");
    const mrkdwn = [String(slack.text), ...slackTexts.filter((o) => o.type === "mrkdwn").map((o) => String(o.text))];
    expect(mrkdwn.slice(1)).toEqual([`<${link}|View on the status page>`]);
    const fallback = String(slack.text);
    expect(fallback).not.toMatch(/[<>]/);
    expect(fallback).not.toMatch(/(^|[^\u200b])[*_~`]|[*_~`]($|[^\u200b])/);
    expect(
      fallback
        .replace(/\u200b/g, "")
        .replace(/&lt;/g, "<")
        .replace(/&gt;/g, ">")
        .replace(/&amp;/g, "&"),
    ).toBe(`[Identified] ${NAME}: ${link}`);
    const plain = slackTexts.filter((o) => o.type === "plain_text").map((o) => String(o.text));
    expect(plain).toContain(`[Identified] ${NAME}`);
    expect(plain.join("\n")).toContain(COMPONENT);
    expect(plain.join("\n")).toContain(BODY_AS_TEXT);

    // Discord: mentions parse nothing; in the markdown fields every markup character has its backslash,
    // so the text reads as typed with no link (not even a bare https://), emphasis, spoiler or mention.
    expect(discord.allowed_mentions).toEqual({ parse: [] });
    const [embed] = discord.embeds as Record<string, unknown>[];
    const fields = (embed?.fields ?? []) as { name: string; value: string }[];
    const markdown = [String(embed?.title), String(embed?.description), ...fields.map((f) => f.value)];
    for (const text of markdown) {
      expect(text.replace(/\\[\\*_~`|<>[\]()#:-]/g, "")).not.toMatch(/[\\*_~`|<>[\]()#:]|^-/m);
    }
    const unescaped = markdown.map((text) => text.replace(/\\(.)/g, "$1"));
    expect(unescaped[0]).toBe(`[Identified] ${NAME}`);
    expect(unescaped[1]).toContain(BODY_AS_TEXT);
    expect(unescaped.join("\n")).toContain(COMPONENT);

    // Teams: no value in a TextBlock or a FactSet (both read markdown), all in RichTextBlock TextRuns (never).
    const card = objects(teams).find((o) => o.type === "AdaptiveCard");
    const elements = objects(card?.body);
    expect(elements.filter((o) => o.type === "TextBlock" || o.type === "FactSet")).toEqual([]);
    const runs = elements.filter((o) => o.type === "TextRun").map((o) => String(o.text));
    expect(runs).toContain(`[Identified] ${NAME}`);
    expect(runs.join("\n")).toContain(COMPONENT);
    expect(runs.join("\n")).toContain(BODY_AS_TEXT);
    expect(objects(card?.actions).map((o) => o.url)).toEqual([link]);
  });
});
