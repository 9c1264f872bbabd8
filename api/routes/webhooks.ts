import { z } from "zod";
import { createWebhook } from "../../core/webhook-subscribers/create-webhook.ts";
import { deleteWebhook } from "../../core/webhook-subscribers/delete-webhook.ts";
import { editWebhook } from "../../core/webhook-subscribers/edit-webhook.ts";
import { listWebhooks } from "../../core/webhook-subscribers/list-webhooks.ts";
import { rotateWebhookSecret } from "../../core/webhook-subscribers/rotate-webhook-secret.ts";
import { webhookViewSchema, webhookWithSecretSchema } from "../../core/webhook-subscribers/webhook-view.ts";
import type { AdminRoute } from "../admin-route.ts";
import { operationRoute } from "../operation-route.ts";

const tag = "webhooks";

export const listWebhooksRoute = operationRoute(listWebhooks, {
  method: "get",
  path: "/api/webhooks",
  summary: "List webhook subscribers (never their secrets)",
  tag,
  status: 200,
  response: z.array(webhookViewSchema),
  respond: (webhooks) => webhooks,
  responseDescription:
    "every webhook, oldest first: id, url, format, state, owner_email, team, components (null: the whole page), failures",
});

export const createWebhookRoute = operationRoute(createWebhook, {
  method: "post",
  path: "/api/webhooks",
  summary: "Add a webhook subscriber (active at once; the signing secret is shown once)",
  tag,
  status: 201,
  response: webhookWithSecretSchema,
  respond: (webhook) => webhook,
  responseDescription: "the webhook with its `secret` (whsec_…, Standard Webhooks)",
});

export const editWebhookRoute = operationRoute(editWebhook, {
  method: "patch",
  path: "/api/webhooks/{id}",
  summary: "Mark a webhook as the team's own (or not), or change its owner's address",
  tag,
  status: 200,
  response: webhookViewSchema,
  respond: (webhook) => webhook,
  responseDescription: "the webhook as it is now; a subscribe-form webhook cannot be marked team (422)",
});

export const rotateWebhookSecretRoute = operationRoute(rotateWebhookSecret, {
  method: "post",
  path: "/api/webhooks/{id}/rotate-secret",
  from: "path",
  summary: "Replace a webhook's signing secret (the new one is shown once)",
  tag,
  status: 201,
  response: webhookWithSecretSchema,
  respond: (webhook) => webhook,
  responseDescription: "the webhook with its new `secret`; later deliveries are signed with it",
});

export const deleteWebhookRoute = operationRoute(deleteWebhook, {
  method: "delete",
  path: "/api/webhooks/{id}",
  summary: "Remove a webhook subscriber",
  tag,
  status: 204,
  responseDescription: "removed: nothing more is sent to it",
});

export const webhookRoutes: AdminRoute[] = [
  listWebhooksRoute,
  createWebhookRoute,
  editWebhookRoute,
  rotateWebhookSecretRoute,
  deleteWebhookRoute,
];
