import { z } from "zod";
import { backupViewSchema, viewBackups } from "../../core/backups/list-backups.ts";
import type { AdminRoute } from "../admin-route.ts";
import { operationRoute } from "../operation-route.ts";

export const listBackupsRoute = operationRoute(viewBackups, {
  method: "get",
  path: "/api/backups",
  summary: "List backups and their verification",
  tag: "backups",
  status: 200,
  response: z.array(backupViewSchema),
  respond: (backups) => backups,
  responseDescription:
    "backups newest first: format, file, size, per-table row counts and checksums, and whether restoring it into a scratch database reproduced them (`verification`: pending, verified or failed, with `error`)",
});

export const backupRoutes: AdminRoute[] = [listBackupsRoute];
