import { z } from "zod";
import { defineQuery } from "../actions/define.ts";
import { intParamWithDefault } from "../actions/query-params.ts";
import { type BackupView, backupView, listBackups } from "./records.ts";

/** `BackupView` as a schema, for the OpenAPI document (the route's `respond` typing keeps the two in step). */
export const backupViewSchema = z.strictObject({
  id: z.string(),
  format: z.enum(["sqlite", "json"]),
  path: z.string(),
  bytes: z.int().nullable(),
  started_at: z.string(),
  finished_at: z.string().nullable(),
  verification: z.enum(["pending", "verified", "failed"]),
  verified_at: z.string().nullable(),
  tables: z.record(z.string(), z.strictObject({ rows: z.int(), checksum: z.string() })).nullable(),
  error: z.string().nullable(),
});

/** The backups the runner took and how their verification went, newest first (admin only). */
export const viewBackups = defineQuery({
  name: "backup.list",
  role: "admin",
  doing: "list backups",
  input: z.object({ limit: intParamWithDefault("page size", { min: 1, max: 500, default: 100 }) }),
  read: async (ctx, { limit }): Promise<BackupView[]> => (await listBackups(ctx.db, limit)).map(backupView),
});
