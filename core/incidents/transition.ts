import { HeraldError } from "../actions/errors.ts";
import type { IncidentRow } from "../model/rows.ts";
import { isClosingStatus, type UpdateStatus } from "../model/statuses.ts";
import { updateStatusLook } from "../presentation/status.ts";

type Lifecycle = Pick<IncidentRow, "id" | "kind" | "status" | "resolvedAt" | "cancelledAt">;

/**
 * Why an update with status `next` cannot be posted to this incident or maintenance now, or null when it
 * can. A closed one takes no update at all: resolving it again would tell everyone twice, and a new
 * status on it is a reopening, which is its own explicit action. A maintenance never goes back to
 * scheduled once it started.
 */
export function transitionRefusal(current: Lifecycle, next: UpdateStatus): string | null {
  const since = current.resolvedAt ? ` since ${current.resolvedAt}` : "";
  if (current.kind === "incident") {
    if (!isClosingStatus(current.status)) return null;
    if (isClosingStatus(next)) {
      return `This incident is already ${current.status}${since}; nothing was posted and no one was told.`;
    }
    return `This incident is ${current.status}${since}; to post "${updateStatusLook(next).label}" reopen it (POST /api/incidents/${current.id}/reopen, herald incident reopen ${current.id}).`;
  }
  if (current.cancelledAt) {
    return `This maintenance was cancelled at ${current.cancelledAt}; it takes no more updates.`;
  }
  if (current.status === "completed") {
    return `This maintenance is already completed${since}; it takes no more updates.`;
  }
  if (current.status !== "scheduled" && next === "scheduled") {
    return `This maintenance is already ${updateStatusLook(current.status).label.toLowerCase()}; it cannot go back to scheduled.`;
  }
  return null;
}

/** Refuses (409, stating the current state) an update the incident's lifecycle does not allow. */
export function assertTransition(current: Lifecycle, next: UpdateStatus): void {
  const refusal = transitionRefusal(current, next);
  if (refusal) throw new HeraldError("conflict", refusal);
}
