import type { Db } from "../../db/client.ts";
import { checklistItems } from "../../db/schema.ts";

/** The production checklist a new page starts with (docs/inventory.md); the page's admins change it from there. */
export const DEFAULT_CHECKLIST = [
  { id: "chk_repository", label: "Code visible in a repository" },
  { id: "chk_runbook", label: "A runbook" },
  { id: "chk_staging", label: "A staging environment" },
  { id: "chk_alerts", label: "Alerts reach a human" },
  { id: "chk_on_call", label: "An on-call team" },
  { id: "chk_backups", label: "Backups restored and verified" },
] as const;

/** The default checklist's rows, written with the page when it is made (a database upgraded in place got them from migration 0025). */
export function defaultChecklistInsert(db: Db, now: string) {
  return db
    .insert(checklistItems)
    .values(DEFAULT_CHECKLIST.map((item, index) => ({ ...item, position: index + 1, createdAt: now })))
    .onConflictDoNothing();
}
