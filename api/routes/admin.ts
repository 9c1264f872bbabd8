import { listAudit } from "../../core/audit/list-audit.ts";
import type { AdminRoute } from "../admin-route.ts";
import { intParamWithDefault, parseQuery, timeParam } from "../query.ts";

const auditQuery = {
  limit: intParamWithDefault("1-500 (default 100)", { min: 1, max: 500, default: 100 }),
  before: timeParam("ISO time: entries before it"),
};

export const adminRoutes: AdminRoute[] = [
  {
    method: "get",
    path: "/api/audit",
    summary: "Read the audit log",
    role: "viewer",
    tag: "audit",
    query: auditQuery,
    responseDescription:
      "audit entries newest first; in a subscriber's or webhook's entry, email addresses and URLs are masked for anyone below admin",
    handle: async (ctx, { query }) => {
      const { limit, before } = parseQuery(auditQuery, query);
      return { status: 200, body: await listAudit(ctx.db, { limit, before, role: ctx.actor.role }) };
    },
  },
];
