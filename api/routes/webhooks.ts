import { createWebhook } from "../../core/webhook-subscribers/create-webhook.ts";
import { deleteWebhook } from "../../core/webhook-subscribers/delete-webhook.ts";
import { editWebhook } from "../../core/webhook-subscribers/edit-webhook.ts";
import { listWebhooks } from "../../core/webhook-subscribers/list-webhooks.ts";
import { rotateWebhookSecret } from "../../core/webhook-subscribers/rotate-webhook-secret.ts";
import { adminWebhookInput, editWebhookInput } from "../../core/webhook-subscribers/schemas.ts";
import type { AdminRoute } from "../admin-route.ts";

export const webhookRoutes: AdminRoute[] = [
  {
    method: "get",
    path: "/api/webhooks",
    summary: "List webhook subscribers (never their secrets)",
    role: "admin",
    tag: "webhooks",
    responseDescription:
      "every webhook, oldest first: id, url, format, state, owner_email, team, components (null: the whole page), failures",
    handle: async (ctx) => ({ status: 200, body: await listWebhooks(ctx) }),
  },
  {
    method: "post",
    path: "/api/webhooks",
    summary: "Add a webhook subscriber (active at once; the signing secret is shown once)",
    role: "admin",
    tag: "webhooks",
    body: adminWebhookInput,
    responseDescription: "the webhook with its `secret` (whsec_…, Standard Webhooks)",
    handle: async (ctx, { body }) => ({ status: 201, body: await createWebhook(ctx, body) }),
  },
  {
    method: "patch",
    path: "/api/webhooks/{id}",
    summary: "Mark a webhook as the team's own (or not), or change its owner's address",
    role: "admin",
    tag: "webhooks",
    body: editWebhookInput,
    responseDescription: "the webhook as it is now; a subscribe-form webhook cannot be marked team (422)",
    handle: async (ctx, { params, body }) => ({ status: 200, body: await editWebhook(ctx, params.id ?? "", body) }),
  },
  {
    method: "post",
    path: "/api/webhooks/{id}/rotate-secret",
    summary: "Replace a webhook's signing secret (the new one is shown once)",
    role: "admin",
    tag: "webhooks",
    responseDescription: "the webhook with its new `secret`; later deliveries are signed with it",
    handle: async (ctx, { params }) => ({ status: 201, body: await rotateWebhookSecret(ctx, params.id ?? "") }),
  },
  {
    method: "delete",
    path: "/api/webhooks/{id}",
    summary: "Remove a webhook subscriber",
    role: "admin",
    tag: "webhooks",
    responseDescription: "removed: nothing more is sent to it",
    handle: async (ctx, { params }) => {
      await deleteWebhook(ctx, params.id ?? "");
      return { status: 204 };
    },
  },
];
