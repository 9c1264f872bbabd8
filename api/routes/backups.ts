import { viewBackups } from "../../core/backups/list-backups.ts";
import type { AdminRoute } from "../admin-route.ts";
import { intParamWithDefault, parseQuery } from "../query.ts";

const listBackupsQuery = { limit: intParamWithDefault("page size", { min: 1, max: 500, default: 100 }) };

export const backupRoutes: AdminRoute[] = [
  {
    method: "get",
    path: "/api/backups",
    summary: "List backups and their verification",
    role: "admin",
    tag: "backups",
    query: listBackupsQuery,
    responseDescription:
      "backups newest first: format, file, size, per-table row counts and checksums, and whether restoring it into a scratch database reproduced them (`verification`: pending, verified or failed, with `error`)",
    handle: async (ctx, { query }) => {
      const { limit } = parseQuery(listBackupsQuery, query);
      return { status: 200, body: await viewBackups(ctx, limit) };
    },
  },
];
