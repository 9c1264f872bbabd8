import type { Db } from "../../db/client.ts";
import { componentStatusChanges } from "../../db/schema.ts";
import type { Statement } from "../commit.ts";
import { newId } from "../ids.ts";
import type { ComponentStatus } from "../statuses.ts";

export type StatusChange = {
  componentId: string;
  oldStatus: ComponentStatus;
  newStatus: ComponentStatus;
  at: string;
  incidentId?: string | null | undefined;
  updateId?: string | null | undefined;
};

/**
 * The statements that record a component's status change: its history row (the source of uptime) and
 * everything derived from it that must stay in step within the same batch. Every status change goes
 * through here.
 */
export function statusChangeStatements(db: Db, change: StatusChange): Statement[] {
  return [
    db.insert(componentStatusChanges).values({
      id: newId(),
      componentId: change.componentId,
      oldStatus: change.oldStatus,
      newStatus: change.newStatus,
      at: change.at,
      incidentId: change.incidentId ?? null,
      updateId: change.updateId ?? null,
    }),
  ];
}
