import { HeraldError, invalid } from "../errors.ts";
import type { MaintenanceStatus } from "../statuses.ts";
import type { IncidentRecord } from "../types.ts";
import { findIncident, type IncidentState } from "./incident-state.ts";

/** The maintenance `id` when it is in one of `statuses`; 409 naming what it is otherwise, 422 for an incident. */
export function findMaintenanceIn(
  state: IncidentState,
  id: string,
  statuses: readonly MaintenanceStatus[],
  doing: string,
): IncidentRecord {
  const record = findIncident(state, id);
  if (record.kind !== "maintenance") throw invalid(`Only a maintenance can be ${doing}; "${id}" is an incident.`);
  if (record.cancelledAt || !statuses.some((s) => s === record.status)) {
    const is = record.cancelledAt ? "cancelled" : record.status.replace("_", " ");
    throw new HeraldError(
      "conflict",
      `This maintenance is ${is}; it can be ${doing} only while ${statuses.join(" or ")}.`,
    );
  }
  return record;
}
