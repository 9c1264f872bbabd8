import { requireRole } from "../actions/authorize.ts";
import type { ActionContext } from "../actions/context.ts";
import { type BackupView, backupView, listBackups } from "./records.ts";

/** The backups the runner took and how their verification went, newest first (admin only). */
export async function viewBackups(ctx: ActionContext, limit: number): Promise<BackupView[]> {
  requireRole(ctx, "admin", "list backups");
  return (await listBackups(ctx.db, limit)).map(backupView);
}
