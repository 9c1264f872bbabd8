import { z } from "zod";
import { invalid } from "../../core/errors.ts";
import { listAudit } from "../../core/list-audit.ts";
import type { AdminRoute } from "../admin-route.ts";

export const adminRoutes: AdminRoute[] = [
  {
    method: "get",
    path: "/api/audit",
    summary: "Read the audit log",
    role: "viewer",
    tag: "audit",
    query: { limit: "1-500 (default 100)", before: "ISO time: entries before it" },
    responseDescription: "audit entries newest first",
    handle: async (ctx, { query }) => {
      const limit = query.limit === undefined ? 100 : Number(query.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
        throw invalid("The query is not valid.", [{ path: "limit", message: "a whole number from 1 to 500" }]);
      }
      if (query.before !== undefined && !z.iso.datetime({ offset: true }).safeParse(query.before).success) {
        throw invalid("The query is not valid.", [{ path: "before", message: "an ISO 8601 date-time" }]);
      }
      return { status: 200, body: await listAudit(ctx.db, { limit, before: query.before }) };
    },
  },
];
