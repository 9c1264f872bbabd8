import { viewBackups } from "../../core/backups/list-backups.ts";
import { invalid } from "../../core/errors.ts";
import type { AdminRoute } from "../admin-route.ts";

export const backupRoutes: AdminRoute[] = [
  {
    method: "get",
    path: "/api/backups",
    summary: "List backups and their verification",
    role: "admin",
    tag: "backups",
    query: { limit: "1-500 (default 100)" },
    responseDescription:
      "backups newest first: format, file, size, per-table row counts and checksums, and whether restoring it into a scratch database reproduced them (`verification`: pending, verified or failed, with `error`)",
    handle: async (ctx, { query }) => {
      const limit = query.limit === undefined ? 100 : Number(query.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
        throw invalid("The query is not valid.", [{ path: "limit", message: "a whole number from 1 to 500" }]);
      }
      return { status: 200, body: await viewBackups(ctx, limit) };
    },
  },
];
