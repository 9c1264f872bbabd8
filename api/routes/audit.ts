import { z } from "zod";
import { auditEntrySchema, readAudit } from "../../core/audit/list-audit.ts";
import type { AdminRoute } from "../admin-route.ts";
import { operationRoute } from "../operation-route.ts";

export const readAuditRoute = operationRoute(readAudit, {
  method: "get",
  path: "/api/audit",
  summary: "Read the audit log",
  tag: "audit",
  status: 200,
  response: z.array(auditEntrySchema),
  respond: (entries) => entries,
  responseDescription:
    "audit entries newest first; in a subscriber's or webhook's entry, email addresses and URLs are masked for anyone below admin",
});

export const auditRoutes: AdminRoute[] = [readAuditRoute];
