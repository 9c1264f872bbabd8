import { z } from "zod";
import { incidentDeliveries, incidentDeliveriesSchema } from "../../core/notifications/incident-deliveries.ts";
import { addSubscriber } from "../../core/subscribers/admin/add-subscriber.ts";
import { eraseSubscriber } from "../../core/subscribers/admin/erase-subscriber.ts";
import { exportSubscribers } from "../../core/subscribers/admin/export-subscribers.ts";
import { importReportSchema, importSubscribers } from "../../core/subscribers/admin/import-subscribers.ts";
import {
  countSubscribers,
  listSubscribers,
  subscriberCountsSchema,
} from "../../core/subscribers/admin/list-subscribers.ts";
import { quarantineSubscriber, unquarantineSubscriber } from "../../core/subscribers/admin/quarantine-subscriber.ts";
import { adminSubscriberSchema } from "../../core/subscribers/admin/subscriber-view.ts";
import type { AdminRoute } from "../admin-route.ts";
import { operationRoute } from "../operation-route.ts";

const tag = "subscribers";
const theSubscriber = "the subscriber (its address in full only for an admin)";

export const listSubscribersRoute = operationRoute(listSubscribers, {
  method: "get",
  path: "/api/subscribers",
  summary: "List or search subscribers",
  tag,
  status: 200,
  response: z.array(adminSubscriberSchema),
  respond: (subscribers) => subscribers,
  responseDescription:
    "subscribers in id order; pass the last id as `after` for the next page. Addresses in full only for an admin: others see `j•••@example.com` and `https://host/…`",
});

export const countSubscribersRoute = operationRoute(countSubscribers, {
  method: "get",
  path: "/api/subscribers/counts",
  summary: "Count subscribers by state and channel",
  tag,
  status: 200,
  response: subscriberCountsSchema,
  respond: (counts) => counts,
  responseDescription: "totals by state and by channel (and `matching` when filtered; `q` as for the list)",
});

export const addSubscriberRoute = operationRoute(addSubscriber, {
  method: "post",
  path: "/api/subscribers",
  summary: "Add a confirmed email subscriber (migrations; no confirmation mail)",
  tag,
  status: 201,
  response: adminSubscriberSchema,
  respond: (subscriber) => subscriber,
  responseDescription: theSubscriber,
});

export const exportSubscribersRoute = operationRoute(exportSubscribers, {
  method: "get",
  path: "/api/subscribers/export",
  summary: "Export subscribers as CSV (formula-safe; streamed)",
  tag,
  status: 200,
  produces: "text/csv; charset=utf-8",
  filename: "subscribers.csv",
  download: (stream) => stream,
  responseDescription: "text/csv: address, channel, format, state, components (ids, `;`-separated), created_at",
});

export const importSubscribersRoute = operationRoute(importSubscribers, {
  method: "post",
  path: "/api/subscribers/import",
  summary: "Import confirmed email subscribers from CSV",
  tag,
  status: 201,
  response: importReportSchema,
  respond: (report) => report,
  responseDescription:
    "how many rows were imported, and each refused row with why (its address as the caller's role may see it; only an admin imports)",
});

export const quarantineSubscriberRoute = operationRoute(quarantineSubscriber, {
  method: "post",
  path: "/api/subscribers/{id}/quarantine",
  from: "path",
  summary: "Quarantine a subscriber: nothing more is sent to it",
  tag,
  status: 201,
  response: adminSubscriberSchema,
  respond: (subscriber) => subscriber,
  responseDescription: theSubscriber,
});

export const unquarantineSubscriberRoute = operationRoute(unquarantineSubscriber, {
  method: "post",
  path: "/api/subscribers/{id}/unquarantine",
  from: "path",
  summary: "Send to a quarantined subscriber again",
  tag,
  status: 201,
  response: adminSubscriberSchema,
  respond: (subscriber) => subscriber,
  responseDescription: theSubscriber,
});

export const eraseSubscriberRoute = operationRoute(eraseSubscriber, {
  method: "delete",
  path: "/api/subscribers/{id}",
  summary: "Erase a subscriber and every trace of its address (audited without it)",
  tag,
  status: 204,
  responseDescription: "erased",
});

export const incidentDeliveriesRoute = operationRoute(incidentDeliveries, {
  method: "get",
  path: "/api/incidents/{id}/deliveries",
  summary: "How an incident's notifications went: per event queued / sent / failed, and the failing addresses",
  tag,
  status: 200,
  response: incidentDeliveriesSchema,
  respond: (deliveries) => deliveries,
  responseDescription:
    "the incident's events with their counters, and failed deliveries with the server's reply (addresses and webhook URLs, also in the reply, in full only for an admin)",
});

export const subscriberRoutes: AdminRoute[] = [
  listSubscribersRoute,
  countSubscribersRoute,
  addSubscriberRoute,
  exportSubscribersRoute,
  importSubscribersRoute,
  quarantineSubscriberRoute,
  unquarantineSubscriberRoute,
  eraseSubscriberRoute,
  incidentDeliveriesRoute,
];
