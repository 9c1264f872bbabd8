import type {
  apiTokens,
  componentStatusChanges,
  components,
  incidents,
  incidentUpdates,
  page,
  updateComponents,
} from "../../db/schema.ts";

export type PageRow = typeof page.$inferSelect;
export type ComponentRow = typeof components.$inferSelect;
export type ComponentStatusChangeRow = typeof componentStatusChanges.$inferSelect;
export type IncidentRow = typeof incidents.$inferSelect;
export type UpdateRow = typeof incidentUpdates.$inferSelect;
export type UpdateComponentRow = typeof updateComponents.$inferSelect;
export type TokenRow = typeof apiTokens.$inferSelect;

export type UpdateRecord = UpdateRow & { componentChanges: UpdateComponentRow[] };

/** An incident or maintenance with its whole timeline, newest update first. */
export type IncidentRecord = IncidentRow & {
  updates: UpdateRecord[];
  /** Every component the incident's updates touched, by name as it was then, alphabetically. */
  affectedComponents: { id: string; name: string }[];
  componentIds: string[];
};
