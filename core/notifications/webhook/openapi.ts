import { z } from "zod";
import {
  WEBHOOK_KINDS,
  WEBHOOK_PAYLOAD_VERSION,
  webhookEventDocumentation,
  webhookEventOf,
  webhookPayloadSchemaId,
  webhookSchemas,
} from "./contract.ts";

const SIGNATURE_HEADERS = [
  ["webhook-id", "The delivery's id, the same on every retry of it: drop a repeat you already handled."],
  ["webhook-timestamp", "Unix seconds when this attempt was signed."],
  [
    "webhook-signature",
    "`v1,<base64 HMAC-SHA256 of id.timestamp.body>` under the webhook's secret (Standard Webhooks).",
  ],
] as const;

/**
 * The OpenAPI 3.1 `webhooks` (one entry per event type) and the `components.schemas` they refer to,
 * generated from the zod schemas of contract.ts. Describes the `json` format; the chat formats are
 * Slack's, Discord's and Teams' own message shapes.
 */
export function webhooksOpenApi(): WebhooksOpenApi {
  // Generating costs ~10 ms and the result never changes: once per process (isolate).
  generated ??= generate();
  return generated;
}

type WebhooksOpenApi = { webhooks: Record<string, unknown>; schemas: Record<string, unknown> };
let generated: WebhooksOpenApi | undefined;

function generate(): WebhooksOpenApi {
  const fromZod = z.toJSONSchema(webhookSchemas, {
    target: "draft-2020-12",
    io: "output",
    metadata: webhookSchemas,
    uri: (id) => `#/components/schemas/${id}`,
  }).schemas;
  const schemas = Object.fromEntries(
    // The dialect and `$id` belong to a standalone document; in OpenAPI 3.1 the schema's place names it.
    Object.entries(fromZod).map(([id, { $schema: _dialect, $id: _id, ...schema }]) => [id, schema]),
  );
  const webhooks = Object.fromEntries(
    WEBHOOK_KINDS.map((kind) => [
      webhookEventOf(kind),
      {
        post: {
          summary: webhookEventOf(kind),
          description:
            kind === "review.weekly"
              ? `${webhookEventDocumentation(kind)} Sent to \`json\` webhooks marked as the team's own, as payload version ${WEBHOOK_PAYLOAD_VERSION}: \`meta\`, \`page\`, the week's \`review\` in words, and Herald's \`herald\` block (\`links.console\` opens the review); \`herald.event\` is \`review.weekly\`.`
              : kind.startsWith("component.")
                ? `${webhookEventDocumentation(kind)} Sent to \`json\` webhooks whose subscription names the component or its group (never to whole-page ones), as payload version ${WEBHOOK_PAYLOAD_VERSION}: \`meta\`, \`page\`, Statuspage's \`component\`, and Herald's \`herald\` block with the deprecation (\`herald.component\`); \`herald.event\` is \`${webhookEventOf(kind)}\`.`
                : kind.startsWith("alert.")
                  ? `${webhookEventDocumentation(kind)} Sent to \`json\` webhooks marked as the team's own, as payload version ${WEBHOOK_PAYLOAD_VERSION}: \`meta\`, \`page\`, the unpublished \`draft\` with its alerts, and Herald's \`herald\` block (\`links.console\` reviews it); \`herald.event\` is \`${webhookEventOf(kind)}\`.`
                  : `${webhookEventDocumentation(kind)} Sent to \`json\` webhooks as payload version ${WEBHOOK_PAYLOAD_VERSION}: Statuspage's body (\`meta\`, \`page\`, \`incident\`) with Herald's \`herald\` block beside it; \`herald.event\` is \`${webhookEventOf(kind)}\`.`,
          tags: ["webhooks"],
          parameters: SIGNATURE_HEADERS.map(([name, description]) => ({
            name,
            in: "header",
            required: true,
            description,
            schema: { type: "string" },
          })),
          requestBody: {
            required: true,
            content: {
              "application/json": { schema: { $ref: `#/components/schemas/${webhookPayloadSchemaId(kind)}` } },
            },
          },
          responses: {
            "2XX": {
              description:
                "Delivered. Anything else within 10 s is retried (5xx, 408, 429) or fails it (other 4xx, redirects).",
            },
          },
        },
      },
    ]),
  );
  return { webhooks, schemas };
}
