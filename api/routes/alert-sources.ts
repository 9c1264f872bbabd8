import { z } from "zod";
import { alertLogPageSchema, listAlertLog } from "../../core/alerts/sources/alert-log.ts";
import { createAlertSource } from "../../core/alerts/sources/create-source.ts";
import { listAlertSources } from "../../core/alerts/sources/list-sources.ts";
import { revokeAlertSource } from "../../core/alerts/sources/revoke-source.ts";
import { rotateAlertSourceToken } from "../../core/alerts/sources/rotate-source-token.ts";
import { alertSourceViewSchema, alertSourceWithTokenSchema } from "../../core/alerts/sources/schemas.ts";
import type { AdminRoute } from "../admin-route.ts";
import { operationRoute } from "../operation-route.ts";

const tag = "alerts";

export const listAlertSourcesRoute = operationRoute(listAlertSources, {
  method: "get",
  path: "/api/alert-sources",
  summary: "List alert sources (never their tokens or signing secrets)",
  tag,
  status: 200,
  response: z.array(alertSourceViewSchema),
  respond: (sources) => sources,
  responseDescription: "every source, revoked ones included, oldest first",
});

export const createAlertSourceRoute = operationRoute(createAlertSource, {
  method: "post",
  path: "/api/alert-sources",
  summary: "Add an alert source: its own token (shown once) and its intake URL",
  tag,
  status: 201,
  response: alertSourceWithTokenSchema,
  respond: (source) => source,
  responseDescription:
    "the source with its `token` (role automation: it can only deliver to this source) and `intake_url`",
});

export const revokeAlertSourceRoute = operationRoute(revokeAlertSource, {
  method: "delete",
  path: "/api/alert-sources/{id}",
  summary: "Revoke an alert source and its token (its next delivery is a 401)",
  tag,
  status: 204,
  responseDescription: "revoked (also when it already was)",
});

export const rotateAlertSourceTokenRoute = operationRoute(rotateAlertSourceToken, {
  method: "post",
  path: "/api/alert-sources/{id}/token",
  from: "path",
  summary: "Give an alert source a new token (shown once); the old one is revoked",
  tag,
  status: 201,
  response: alertSourceWithTokenSchema,
  respond: (source) => source,
  responseDescription: "the source with its new `token`; deliveries with the old one are refused (401)",
});

export const listAlertLogRoute = operationRoute(listAlertLog, {
  method: "get",
  path: "/api/alert-log",
  summary: "Read the intake log: every delivery received or refused, and what the automation did (30 days)",
  tag,
  status: 200,
  response: alertLogPageSchema,
  respond: (page) => page,
  responseDescription: "lines newest first; `next_before` pages back",
});

export const alertSourceRoutes: AdminRoute[] = [
  listAlertSourcesRoute,
  createAlertSourceRoute,
  revokeAlertSourceRoute,
  rotateAlertSourceTokenRoute,
  listAlertLogRoute,
];
