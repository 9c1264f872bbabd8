import { z } from "zod";
import { incidentDeliveries } from "../../core/notifications/incident-deliveries.ts";
import { addSubscriber } from "../../core/subscribers/admin/add-subscriber.ts";
import { eraseSubscriber } from "../../core/subscribers/admin/erase-subscriber.ts";
import { exportSubscribers } from "../../core/subscribers/admin/export-subscribers.ts";
import { importSubscribers } from "../../core/subscribers/admin/import-subscribers.ts";
import { countSubscribers, listSubscribers } from "../../core/subscribers/admin/list-subscribers.ts";
import { quarantineSubscriber, unquarantineSubscriber } from "../../core/subscribers/admin/quarantine-subscriber.ts";
import {
  addSubscriberInput,
  importSubscribersInput,
  SUBSCRIBER_CHANNELS,
  SUBSCRIBER_STATES,
} from "../../core/subscribers/admin/schemas.ts";
import { safeText } from "../../core/text/safe-text.ts";
import type { AdminRoute } from "../admin-route.ts";
import { enumParam, intParamWithDefault, parseQuery } from "../query.ts";

const tag = "subscribers";

const filterQuery = {
  state: enumParam("only subscribers in this state", SUBSCRIBER_STATES),
  channel: enumParam("email or webhook", SUBSCRIBER_CHANNELS),
  q: safeText({ max: 254 })
    .optional()
    .describe("an admin: a piece of the address (any case); anyone else: only the whole address (any case)"),
};
const listQuery = {
  ...filterQuery,
  limit: intParamWithDefault("page size, 1-500 (default 100)", { min: 1, max: 500, default: 100 }),
  after: z.string().max(64).optional().describe("the last id of the previous page"),
};

export const subscriberRoutes: AdminRoute[] = [
  {
    method: "get",
    path: "/api/subscribers",
    summary: "List or search subscribers",
    role: "viewer",
    tag,
    query: listQuery,
    responseDescription:
      "subscribers in id order; pass the last id as `after` for the next page. Addresses in full only for an admin: others see `j•••@example.com` and `https://host/…`",
    handle: async (ctx, { query }) => {
      const { state, channel, q, limit, after } = parseQuery(listQuery, query);
      return { status: 200, body: await listSubscribers(ctx, { state, channel, search: q, limit, after }) };
    },
  },
  {
    method: "get",
    path: "/api/subscribers/counts",
    summary: "Count subscribers by state and channel",
    role: "viewer",
    tag,
    query: filterQuery,
    responseDescription: "totals by state and by channel (and `matching` when filtered; `q` as for the list)",
    handle: async (ctx, { query }) => {
      const { state, channel, q } = parseQuery(filterQuery, query);
      return { status: 200, body: await countSubscribers(ctx, { state, channel, search: q }) };
    },
  },
  {
    method: "post",
    path: "/api/subscribers",
    summary: "Add a confirmed email subscriber (migrations; no confirmation mail)",
    role: "commander",
    tag,
    body: addSubscriberInput,
    responseDescription: "the subscriber (its address in full only for an admin)",
    handle: async (ctx, { body }) => ({ status: 201, body: await addSubscriber(ctx, body) }),
  },
  {
    method: "get",
    path: "/api/subscribers/export",
    summary: "Export subscribers as CSV (formula-safe; streamed)",
    role: "admin",
    tag,
    responseDescription: "text/csv: address, channel, format, state, components (ids, `;`-separated), created_at",
    handle: async (ctx) => ({
      status: 200,
      stream: exportSubscribers(ctx),
      contentType: "text/csv; charset=utf-8",
      filename: "subscribers.csv",
    }),
  },
  {
    method: "post",
    path: "/api/subscribers/import",
    summary: "Import confirmed email subscribers from CSV",
    role: "admin",
    tag,
    body: importSubscribersInput,
    responseDescription:
      "how many rows were imported, and each refused row with why (its address as the caller's role may see it; only an admin imports)",
    handle: async (ctx, { body }) => ({ status: 201, body: await importSubscribers(ctx, body) }),
  },
  {
    method: "post",
    path: "/api/subscribers/{id}/quarantine",
    summary: "Quarantine a subscriber: nothing more is sent to it",
    role: "commander",
    tag,
    responseDescription: "the subscriber (its address in full only for an admin)",
    handle: async (ctx, { params }) => ({ status: 201, body: await quarantineSubscriber(ctx, params.id ?? "") }),
  },
  {
    method: "post",
    path: "/api/subscribers/{id}/unquarantine",
    summary: "Send to a quarantined subscriber again",
    role: "commander",
    tag,
    responseDescription: "the subscriber (its address in full only for an admin)",
    handle: async (ctx, { params }) => ({ status: 201, body: await unquarantineSubscriber(ctx, params.id ?? "") }),
  },
  {
    method: "delete",
    path: "/api/subscribers/{id}",
    summary: "Erase a subscriber and every trace of its address (audited without it)",
    role: "admin",
    tag,
    responseDescription: "erased",
    handle: async (ctx, { params }) => {
      await eraseSubscriber(ctx, params.id ?? "");
      return { status: 204 };
    },
  },
  {
    method: "get",
    path: "/api/incidents/{id}/deliveries",
    summary: "How an incident's notifications went: per event queued / sent / failed, and the failing addresses",
    role: "viewer",
    tag,
    responseDescription:
      "the incident's events with their counters, and failed deliveries with the server's reply (addresses and webhook URLs, also in the reply, in full only for an admin)",
    handle: async (ctx, { params }) => ({ status: 200, body: await incidentDeliveries(ctx, params.id ?? "") }),
  },
];
